"""Feed filters: by event type and by ticket."""

import django_filters
from django import forms
from django.db.models import Q

from desk.api.filtering import IdFilter
from desk.events.models import Event


class TypeListField(forms.CharField):
    """`ticket.created` or several, comma-separated; `ticket.*` for every type of an entity."""

    openapi = (
        {"type": "string", "example": "ticket.created,comment.*"},
        "An event type, or several comma-separated; `ticket.*` matches every type of tickets.",
    )

    def to_python(self, value):
        value = super().to_python(value)
        names = [name.strip() for name in value.split(",") if name.strip()] if value else []
        if any(len(name) > 64 or "\x00" in name for name in names):
            raise forms.ValidationError("Each type is at most 64 characters, such as ticket.created.")
        return names


class TypeFilter(django_filters.Filter):
    field_class = TypeListField

    def filter(self, qs, value):
        if not value:
            return qs
        exact = [name for name in value if not name.endswith(".*")]
        entities = [name[:-2] for name in value if name.endswith(".*")]
        condition = Q(type__in=exact) | Q(entity__in=entities)
        return qs.filter(condition)


class EventFilterSet(django_filters.FilterSet):
    """`type` (one or several, comma-separated, or `ticket.*`) and `ticket` (an id)."""

    type = TypeFilter()
    ticket = IdFilter(field_name="ticket_id")

    class Meta:
        model = Event
        fields = []
