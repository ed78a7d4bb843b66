"""Serializer fields shared by resources: entities by id, choices by value or label, bounded lists."""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.settings import api_settings

from desk.api.errors import NotFoundError

# ASCII only: `\d` would take `１` or `١`, which int() reads as 1.
ID = re.compile(r"^[0-9]{1,18}$")
# The contract's date format, as REST_FRAMEWORK["DATETIME_FORMAT"] sets it.
WIRE_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def choice_from_input(choices, value):
    """The stored value a client's value or label names, in any case (`In progress`, `ON_HOLD`); else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    for choice in choices:
        if text in (choice.value, choice.label.lower()):
            return choice.value
    return None


def choices_message(choices):
    """The error that lists what a choice accepts."""
    return f"Should be one of: {', '.join(choices.values)}."


class LabelChoiceField(serializers.Field):
    """A status, priority or source by value or label in any case; shown as the lower-case value."""

    def __init__(self, choices, *, empty_means_none=False, **kwargs):
        self.choice_enum = choices
        self.empty_means_none = empty_means_none
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if self.empty_means_none and data == "":
            return None
        value = choice_from_input(self.choice_enum, data)
        if value is None:
            raise serializers.ValidationError(choices_message(self.choice_enum))
        return value

    def to_representation(self, value):
        return value


class BoundedListField(serializers.ListField):
    """A list whose length is checked before its items, so that refusing a huge list costs nothing."""

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, list | tuple) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class RelatedIdField(serializers.Field):
    """An entity given by id and shown as the id read from its column; a missing one is 404."""

    def __init__(self, *, noun, not_found, queryset=None, context_queryset=None, **kwargs):
        # `context_queryset` names a queryset the view puts in the serializer context, narrowed to the
        # caller's reach, so what a caller may not see answers exactly like what does not exist.
        self.noun, self.not_found = noun, not_found
        self.queryset, self.context_queryset = queryset, context_queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = str(data).strip() if isinstance(data, int | str) and not isinstance(data, bool) else ""
        if not ID.match(text):
            raise serializers.ValidationError(f"Should be a {self.noun} id.")
        queryset = self.context[self.context_queryset] if self.context_queryset else self.queryset
        found = queryset.filter(pk=int(text)).first()
        if found is None:
            raise NotFoundError(self.not_found)
        return found

    def get_attribute(self, instance):
        return getattr(instance, f"{self.source}_id")

    def to_representation(self, value):
        return value


class WireDateTimeField(serializers.DateTimeField):
    """A date as the contract writes it (`2015-07-17T11:25:21+0000`), formatted without strftime.

    strftime and DRF's time zone handling were the largest cost of a list after the queries; a UTC
    moment in the wire format is written directly, anything else goes the general way.
    """

    def to_representation(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None and value.year >= 1000 and self._direct:
            moment = value.astimezone(UTC)
            return (
                f"{moment.year}-{moment.month:02d}-{moment.day:02d}"
                f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}+0000"
            )
        return super().to_representation(value)

    @cached_property
    def _direct(self):
        """Whether dates go out in the wire format in UTC: asked once, as a field serves one request."""
        return (
            getattr(self, "format", api_settings.DATETIME_FORMAT) == WIRE_DATETIME_FORMAT
            and _current_zone_is_utc()
        )


def _current_zone_is_utc():
    """Whether dates are shown in UTC, as the settings say; DRF would convert to the current zone."""
    return settings.USE_TZ and timezone.get_current_timezone_name() == "UTC"
