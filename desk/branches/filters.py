"""Branch list filters."""

import django_filters

from desk.api.filtering import DeskFilterSet
from desk.branches.models import Branch
from desk.users.filters import StaffRefFilter


class BranchFilterSet(DeskFilterSet):
    """Substring match on texts, equality on the default assignee."""

    name = django_filters.CharFilter(lookup_expr="icontains")
    description = django_filters.CharFilter(lookup_expr="icontains")
    key = django_filters.CharFilter(lookup_expr="icontains")
    default_assignee = StaffRefFilter(field_name="default_assignee_id")

    class Meta:
        model = Branch
        fields = []
