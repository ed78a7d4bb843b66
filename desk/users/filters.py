"""User (customer) list filters."""

import django_filters

from desk.api.filtering import DeskFilterSet
from desk.users.models import Customer


class CustomerFilterSet(DeskFilterSet):
    """Substring match on email and names."""

    email = django_filters.CharFilter(lookup_expr="icontains")
    first_name = django_filters.CharFilter(lookup_expr="icontains")
    last_name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Customer
        fields = []
