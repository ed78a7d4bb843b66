"""An event as the feed and webhooks show it."""

from rest_framework import serializers

from desk.events.models import Event


class EventSerializer(serializers.ModelSerializer):
    """What changed (`type`, `entity`, `entity_id`, `ticket`), who did it (`actor`), when, and the entity."""

    ticket = serializers.IntegerField(source="ticket_id", read_only=True, allow_null=True)
    data = serializers.JSONField(
        read_only=True, help_text="The entity as the API shows it; for a delete, its id and key."
    )
    changes = serializers.JSONField(
        read_only=True, allow_null=True, help_text="On updates, each changed field as `[before, after]`."
    )
    actor = serializers.CharField(
        read_only=True,
        help_text="`oro_N` (a staff user, also in the admin) or `diamante_N`; empty for a command.",
    )

    class Meta:
        model = Event
        fields = ["actor", "changes", "created_at", "data", "entity", "entity_id", "id", "ticket", "type"]
        read_only_fields = fields


def event_payload(event, request=None):
    """The event as a webhook body carries it: the feed's representation."""
    return EventSerializer(event, context={"request": request}).data
