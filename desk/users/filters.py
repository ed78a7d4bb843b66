"""User (customer) list filters, and the filters other lists use for people (`oro_N`, `diamante_N`)."""

import django_filters
from django import forms

from desk.api.filtering import DeskFilterSet
from desk.users.fields import STAFF_REF, STAFF_REF_PATTERN
from desk.users.models import Customer
from desk.users.people import PERSON_REF_MESSAGE, PERSON_REF_PATTERN, parse_person_ref


class CustomerFilterSet(DeskFilterSet):
    """Substring match on email and names."""

    email = django_filters.CharFilter(lookup_expr="icontains")
    first_name = django_filters.CharFilter(lookup_expr="icontains")
    last_name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Customer
        fields = []


class StaffRefField(forms.CharField):
    """A staff user as `5` or `oro_5`, read as the id."""

    openapi = ({"type": "string", "pattern": STAFF_REF_PATTERN}, "Staff user as `5` or `oro_5`.")

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = STAFF_REF.match(value.strip())
        if not match:
            raise forms.ValidationError("Should be a staff user id.", code="invalid")
        return int(match[1])


class PersonRefField(forms.CharField):
    """`oro_N` or `diamante_N`, read as (kind, id)."""

    openapi = ({"type": "string", "pattern": PERSON_REF_PATTERN}, "`oro_N` or `diamante_N`.")

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        reference = parse_person_ref(value)
        if reference is None:
            raise forms.ValidationError(PERSON_REF_MESSAGE, code="invalid")
        return reference


class StaffRefFilter(django_filters.Filter):
    """Equality on a staff user column."""

    field_class = StaffRefField


class PersonRefFilter(django_filters.Filter):
    """Equality on a staff-or-customer pair of columns (a `PersonPair`), such as a ticket's reporter."""

    field_class = PersonRefField

    def __init__(self, *args, pair, **kwargs):
        self.pair = pair
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs if value is None else qs.filter(self.pair.matching(*value))
