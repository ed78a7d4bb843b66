"""Ticket list filters."""

import re

import django_filters
from django import forms

from desk.api.filtering import DeskFilterSet
from desk.tickets.models import Priority, Source, Status, Ticket
from desk.tickets.serializers import choice_from_input, choices_message

MAX_ID = 2**63 - 1
_STAFF_REF = re.compile(r"^(?:oro_)?(\d{1,18})$")
_PERSON_REF = re.compile(r"^(oro|diamante)_(\d{1,18})$")


class StaffRefField(forms.CharField):
    """A staff user as `5` or `oro_5`, read as the id."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _STAFF_REF.match(value.strip())
        if not match:
            raise forms.ValidationError("Should be a staff user id.", code="invalid")
        return int(match[1])


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


class IdFilter(django_filters.Filter):
    """Equality on an id; a non-integer is an error, and the bound keeps it within the column."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StaffRefFilter(django_filters.Filter):
    """Equality on a staff user column."""

    field_class = StaffRefField


class PersonRefFilter(django_filters.Filter):
    """A staff user or customer reference."""

    field_class = PersonRefField


class LabelChoiceFilter(django_filters.Filter):
    """Equality on a choice column, taking values or labels."""

    field_class = LabelChoiceFormField


class TicketFilterSet(DeskFilterSet):
    """Ids, people and choices by equality; texts and the key by substring."""

    branch = IdFilter(field_name="branch_id")
    assignee = StaffRefFilter(field_name="assignee_id")
    reporter = PersonRefFilter(method="filter_reporter")
    status = LabelChoiceFilter(choices=Status)
    priority = LabelChoiceFilter(choices=Priority)
    source = LabelChoiceFilter(choices=Source)
    subject = django_filters.CharFilter(lookup_expr="icontains")
    description = django_filters.CharFilter(lookup_expr="icontains")
    key = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Ticket
        fields = []

    def filter_reporter(self, queryset, name, value):
        kind, pk = value
        column = "reporter_user_id" if kind == "oro" else "reporter_customer_id"
        return queryset.filter(**{column: pk})
