"""Webhook subscriptions and their deliveries on the staff mount."""

import re

from rest_framework import serializers

from desk.api.serializers import DeskModelSerializer
from desk.webhooks.models import Delivery, DeliveryAttempt, Webhook
from desk.webhooks.urlsafety import UnsafeURL, check_url

EVENT_TYPE = re.compile(r"^[a-z]+\.(?:[a-z_]+|\*)$")


class EventTypesField(serializers.ListField):
    """Event types such as `ticket.created` or `comment.*`; an empty list takes every event."""

    child = serializers.CharField(max_length=64)

    def to_internal_value(self, data):
        types = super().to_internal_value(data)
        for name in types:
            if not EVENT_TYPE.match(name):
                raise serializers.ValidationError(
                    f'"{name}" is no event type: use e.g. ticket.created or ticket.*.'
                )
        return sorted(set(types))


class WebhookSerializer(DeskModelSerializer):
    """A subscription: where to POST, which event types, the signing secret, whether it is active."""

    event_types = EventTypesField(required=False, help_text="Empty: every event.")
    secret = serializers.CharField(
        required=False, min_length=16, max_length=128, help_text="Signs each delivery; made when not given."
    )
    url = serializers.URLField(
        max_length=2000, help_text="http:// or https://; private addresses are refused."
    )

    class Meta:
        model = Webhook
        fields = ["active", "created_at", "description", "event_types", "id", "secret", "updated_at", "url"]
        read_only_fields = ["created_at", "id", "updated_at"]

    def validate_url(self, value):
        # Names are resolved again before each delivery; here only what the URL itself says is checked.
        try:
            check_url(value, resolve=False)
        except UnsafeURL as unsafe:
            raise serializers.ValidationError(str(unsafe)) from None
        return value


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["created_at", "duration_ms", "error", "number", "response_code"]


class DeliverySerializer(serializers.ModelSerializer):
    """A delivery: its state, its last answer, and every attempt."""

    attempt_log = DeliveryAttemptSerializer(many=True, read_only=True)
    event = serializers.IntegerField(source="event_id", read_only=True)
    event_type = serializers.CharField(source="event.type", read_only=True)
    uuid = serializers.UUIDField(read_only=True, help_text="Sent as `X-Desk-Delivery` and `Idempotency-Key`.")

    class Meta:
        model = Delivery
        fields = [
            "attempt_log",
            "attempts",
            "created_at",
            "duration_ms",
            "error",
            "event",
            "event_type",
            "id",
            "next_attempt_at",
            "response_code",
            "state",
            "updated_at",
            "uuid",
        ]
        read_only_fields = fields
