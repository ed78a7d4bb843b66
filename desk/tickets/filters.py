"""Ticket list filters."""

import django_filters
from django_filters.constants import EMPTY_VALUES

from desk.api.filtering import DeskFilterSet, IdFilter, LabelChoiceFilter
from desk.tickets.models import Priority, Source, Status, Ticket
from desk.users.filters import PersonRefFilter, StaffRefFilter
from desk.users.people import REPORTER


class TextFilter(django_filters.CharFilter):
    """`icontains` through the queryset's `containing`, so that a lone text filter has a kept count."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.containing(value, self.field_name)


class KeptChoiceFilter(LabelChoiceFilter):
    """Equality on a choice through the queryset's `equal`, so that a lone choice filter has a kept count."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.equal(self.field_name, value)


class BranchFilter(IdFilter):
    """A branch id through the queryset's `in_branch`, so that a lone branch filter reads the kept count."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
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
