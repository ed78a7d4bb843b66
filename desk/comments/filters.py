"""Comment list filters."""

import re

import django_filters
from django import forms

from desk.api.filtering import DeskFilterSet
from desk.comments.models import Comment

_PERSON_REF = re.compile(r"^(oro|diamante)_(\d{1,18})$")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
MAX_ID = 2**63 - 1


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than no filter at all."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Should be true or false.", code="invalid")


class PersonRefField(forms.CharField):
    """`oro_N` or `diamante_N`, read as (kind, id)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _PERSON_REF.match(value.strip())
        if not match:
            raise forms.ValidationError(
                'Should be "oro_<staff id>" or "diamante_<customer id>".', code="invalid"
            )
        return match[1], int(match[2])


class IdFilter(django_filters.Filter):
    """Equality on an id; a non-integer is an error, and the bound keeps it within the column."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictBooleanFilter(django_filters.Filter):
    """Equality on a boolean column, refusing values that are not booleans."""

    field_class = StrictBooleanField


class PersonFilter(django_filters.Filter):
    """A staff user or customer reference."""

    field_class = PersonRefField


class CommentFilterSet(DeskFilterSet):
    """Ticket, author and privacy by equality; content by substring."""

    ticket = IdFilter(field_name="ticket_id")
    author = PersonFilter(method="filter_author")
    content = django_filters.CharFilter(lookup_expr="icontains")
    private = StrictBooleanFilter(field_name="private")

    class Meta:
        model = Comment
        fields = []

    def filter_author(self, queryset, name, value):
        kind, pk = value
        column = "author_user_id" if kind == "oro" else "author_customer_id"
        return queryset.filter(**{column: pk})
