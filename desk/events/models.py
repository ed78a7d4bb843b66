"""The event log: one row per change, numbered in commit order."""

from django.db import models
from django.utils import timezone

from desk.users.models import is_customer

EVENT_NOT_FOUND = "Event not found."


class EventQuerySet(models.QuerySet):
    def visible_to(self, principal):
        """Every event for staff; for a customer, the public events of the tickets it reported."""
        if not is_customer(principal):
            return self
        return self.filter(customer_id=principal.pk, private=False)


class Event(models.Model):
    """What changed, who changed it and when; kept for DESK_EVENT_RETENTION_DAYS."""

    type = models.CharField(max_length=64, db_index=True)  # `ticket.created`, `comment.deleted`, ...
    entity = models.CharField(max_length=32)  # `ticket`, `comment`, ...
    entity_id = models.BigIntegerField()
    # Plain numbers, not foreign keys: an event outlives the ticket it tells about.
    ticket_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The reporter of the ticket, when a customer: the one customer who may read the event.
    customer_id = models.BigIntegerField(null=True, blank=True)
    # About a private comment (or its files): never shown to customers.
    private = models.BooleanField(default=False)
    actor = models.CharField(max_length=64, blank=True)  # `oro_N`, `diamante_N`, "" for a command
    data = models.JSONField()  # the entity as the API shows it; for a delete its id (and key)
    changes = models.JSONField(null=True, blank=True)  # {"status": ["new", "open"]} on updates
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["customer_id", "id"], name="event_customer_feed")]

    def __str__(self):
        return f"#{self.pk} {self.type} {self.entity} {self.entity_id}"
