"""Ticket list filters."""

import django_filters
from django_filters.constants import EMPTY_VALUES

from desk.api.filtering import DeskFilterSet, IdFilter, LabelChoiceFilter
from desk.tickets.models import Priority, Source, Status, Ticket
from desk.users.filters import PersonRefFilter, StaffRefFilter
from desk.users.people import REPORTER


class KeptCountFilter:
    """A filter applied through a TicketQuerySet method, so that a lone one has a kept count."""

    def filter(self, qs, value):
        return qs if value in EMPTY_VALUES else self.narrow(qs, value)


class TextFilter(KeptCountFilter, django_filters.CharFilter):
    """`icontains`, through the queryset's `containing`."""

    def narrow(self, qs, value):
        return qs.containing(value, self.field_name)


class KeptChoiceFilter(KeptCountFilter, LabelChoiceFilter):
    """Equality on a choice, through the queryset's `equal`."""

    def narrow(self, qs, value):
        return qs.equal(self.field_name, value)


class BranchFilter(KeptCountFilter, IdFilter):
    """A branch id, through the queryset's `in_branch`."""

    def narrow(self, qs, value):
        return qs.in_branch(value)


class TicketFilterSet(DeskFilterSet):
    """Ids, people and choices by equality; texts and the key by substring."""

    branch = BranchFilter(field_name="branch_id")
    assignee = StaffRefFilter(field_name="assignee_id")
    reporter = PersonRefFilter(pair=REPORTER)
    status = KeptChoiceFilter(choices=Status)
    priority = KeptChoiceFilter(choices=Priority)
    source = KeptChoiceFilter(choices=Source)
    subject = TextFilter(lookup_expr="icontains")
    description = TextFilter(lookup_expr="icontains")
    key = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Ticket
        fields = []
