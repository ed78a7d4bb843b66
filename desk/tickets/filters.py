"""Ticket list filters."""

import django_filters

from desk.api.filtering import DeskFilterSet, IdFilter, LabelChoiceFilter
from desk.tickets.models import Priority, Source, Status, Ticket
from desk.users.filters import PersonRefFilter, StaffRefFilter
from desk.users.people import REPORTER


class TicketFilterSet(DeskFilterSet):
    """Ids, people and choices by equality; texts and the key by substring."""

    branch = IdFilter(field_name="branch_id")
    assignee = StaffRefFilter(field_name="assignee_id")
    reporter = PersonRefFilter(pair=REPORTER)
    status = LabelChoiceFilter(choices=Status)
    priority = LabelChoiceFilter(choices=Priority)
    source = LabelChoiceFilter(choices=Source)
    subject = django_filters.CharFilter(lookup_expr="icontains")
    description = django_filters.CharFilter(lookup_expr="icontains")
    key = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Ticket
        fields = []
