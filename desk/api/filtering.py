"""Allowlisted filters (django-filter) and `sort`/`order`, shared by every list."""

import copy
import re
from datetime import UTC, datetime, timedelta, timezone

import django_filters
from django import forms
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from desk.api.fields import choice_from_input, choices_message
from desk.api.keys import snake_case

_WIRE_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?"
    r"\s*(?P<zone>Z|z|[+-]\d{2}:?\d{2}|(?<=\s)\d{2}:?\d{2})?$",
    # ASCII digits and spaces only: fromisoformat and int() would read `２０１５` as 2015.
    re.ASCII,
)


def parse_wire_datetime(value):
    """Read ISO 8601 or `YYYY-MM-DD HH:MM:SS`; no offset is UTC; a `+` lost to URL decoding is restored."""
    match = _WIRE_DATETIME.match(value.strip())
    if not match:
        raise ValueError(value)
    text = match["date"] + "T" + (match["time"] or "00:00")
    moment = datetime.fromisoformat(text)
    zone = match["zone"]
    if not zone or zone in "Zz":
        return moment.replace(tzinfo=UTC)
    sign = -1 if zone.startswith("-") else 1
    digits = zone.lstrip("+-").replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(value)
    try:
        return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes))).astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01 at +01:00 lies before the first representable moment
        raise ValueError(value) from None


class WireDateTimeField(forms.Field):
    """A form field for the date formats clients send in filters."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_wire_datetime(value)
        except ValueError:
            # The client's text is a parameter, never part of the message: messages are %-templates.
            raise forms.ValidationError(
                '"%(value)s" is not a valid date; use ISO 8601 or YYYY-MM-DD HH:MM:SS.',
                code="invalid",
                params={"value": value},
            ) from None


class WireDateTimeFilter(django_filters.Filter):
    """A date filter reading the client date formats."""

    field_class = WireDateTimeField


MAX_ID = 2**63 - 1
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class LabelChoiceFormField(forms.CharField):
    """A status, priority or source by value or label in any case."""

    def __init__(self, *args, choices, **kwargs):
        self.desk_choices = choices
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        choice = choice_from_input(self.desk_choices, value)
        if choice is None:
            raise forms.ValidationError(choices_message(self.desk_choices), code="invalid")
        return choice


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than no filter at all."""

    openapi = ({"type": "boolean"}, "`true` or `false`.")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Should be true or false.", code="invalid")


class AsciiIntegerField(forms.IntegerField):
    """An integer in ASCII digits; Django's own takes `１` or `١` for 1, as int() does."""

    def to_python(self, value):
        if value not in self.empty_values and not str(value).isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdFilter(django_filters.Filter):
    """Equality on an id; a non-integer is an error, and the bound keeps it within the column."""

    field_class = AsciiIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class LabelChoiceFilter(django_filters.Filter):
    """Equality on a choice column, taking values or labels."""

    field_class = LabelChoiceFormField


class StrictBooleanFilter(django_filters.Filter):
    """Equality on a boolean column, refusing values that are not booleans."""

    field_class = StrictBooleanField


class DeskFilterSet(django_filters.FilterSet):
    """Base of every resource's filters: the created/updated range every list takes."""

    created_after = WireDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = WireDateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_after = WireDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = WireDateTimeFilter(field_name="updated_at", lookup_expr="lt")

    def get_form_class(self):
        """The form class, made once per FilterSet class instead of once per request.

        django-filter makes a new class from the filters' form fields on every request. No filter here
        builds its field from the request (no queryset depends on the caller), and each form instance
        deep-copies the class's fields, so one class serves every request.
        """
        cls = type(self)
        form_class = cls.__dict__.get("_desk_form_class")
        if form_class is None:
            form_class = cls._desk_form_class = super().get_form_class()
        return form_class


class DeskFilterBackend(DjangoFilterBackend):
    """django-filter with query parameter names in either spelling."""

    def get_schema_operation_parameters(self, view):
        """The view's own list parameters (`q` of a search), then one per filter of its FilterSet."""
        parameters = list(getattr(view, "list_parameters", {}).get(view.action, ()))
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            parameters += [filter_parameter(name, f) for name, f in filterset_class.base_filters.items()]
        return parameters

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = QueryDict(mutable=True)
        for key, values in request.query_params.lists():
            data.setlist(snake_case(key), values)
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        # Building a FilterSet and its form costs more than the rest of a plain list; with no filter
        # named in the query string it would return the queryset unchanged, so it is not built.
        if filterset_class is not None and not any(
            snake_case(key) in filterset_class.base_filters for key in request.query_params
        ):
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            # Django's ErrorList applies a message's params only when it has some; django-filter's own
            # translation applies `%` to every message, which breaks on one that quotes a `%`.
            raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
        return filterset.qs


class SortBackend(BaseFilterBackend):
    """`sort` over the view's sortable fields (default `id`) and `order` asc or desc."""

    def get_schema_operation_parameters(self, view):
        sortable = getattr(view, "sort_fields", None)
        if not sortable:
            return []
        return [
            {
                "in": "query",
                "name": "sort",
                "schema": {"type": "string", "enum": sorted(sortable), "default": "id"},
                "description": "Field to sort by (camelCase spelling works too).",
            },
            {
                "in": "query",
                "name": "order",
                "schema": {"type": "string", "enum": ["asc", "desc"], "default": "asc"},
                "description": "Sort direction, in any case.",
            },
        ]

    def filter_queryset(self, request, queryset, view):
        sortable = getattr(view, "sort_fields", None)
        if not sortable:
            return queryset
        name = snake_case(request.query_params.get("sort", "id").strip())
        order = request.query_params.get("order", "asc").strip().lower()
        if name not in sortable:
            allowed = ", ".join(sorted(sortable))
            raise ValidationError(f'Unknown sort field "{name}". Sortable fields: {allowed}.')
        if order not in ("asc", "desc"):
            raise ValidationError('"order" should be asc or desc.')
        aliases = getattr(view, "sort_aliases", {}).get(name)
        if aliases is not None:
            queryset = queryset.alias(**aliases())
        prefix = "-" if order == "desc" else ""
        paths = [*sortable[name], "id"] if "id" not in sortable[name] else list(sortable[name])
        return queryset.order_by(*(prefix + path for path in paths))


def filter_parameter(name, filter_):
    """A query parameter for one filter of a FilterSet."""
    field_class = filter_.field_class
    choices = filter_.extra.get("choices")
    # A form field that knows its own parameter schema says it (`openapi = (schema, description)`).
    known = getattr(field_class, "openapi", None)
    if name in DeskFilterSet.base_filters:
        name = re.sub(r"_(\w)", lambda match: match[1].upper(), name)
        edge = "inclusive" if name.endswith("After") else "exclusive"
        # No example: Swagger UI would fill it in and every "try it" would filter by it.
        schema = {"type": "string"}
        description = (
            f"ISO 8601 or `YYYY-MM-DD HH:MM:SS` (`2015-07-17 11:25:21`), UTC without an offset; {edge}."
        )
    elif choices is not None:
        schema = {"type": "string", "enum": list(choices.values)}
        description = "Equal to this value (a label, in any case, works too)."
    elif known:
        schema, description = copy.deepcopy(known)
    elif issubclass(field_class, forms.IntegerField | forms.DecimalField):
        schema, description = {"type": "integer"}, "Equal to this id."
    elif issubclass(field_class, WireDateTimeField):
        schema, description = {"type": "string"}, "A date."
    elif filter_.lookup_expr == "icontains":
        schema, description = {"type": "string"}, "Contains this text, in any case."
    else:
        schema, description = {"type": "string"}, "Equal to this value."
    return {"in": "query", "name": name, "schema": schema, "description": description}
