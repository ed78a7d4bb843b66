"""Subscriptions and their deliveries: one delivery row per (subscription, event), ever."""

import secrets
import uuid

from django.db import models
from django.utils import timezone

WEBHOOK_NOT_FOUND = "Webhook not found."
DELIVERY_NOT_FOUND = "Delivery not found."


def new_secret():
    return secrets.token_hex(32)


class StaffOnlyQuerySet(models.QuerySet):
    def visible_to(self, principal):
        """Everything: only staff reach these, the customer mount has no webhook routes."""
        return self


class Webhook(models.Model):
    """A URL that receives the events of the listed types (every type when the list is empty)."""

    url = models.URLField(max_length=2000)
    event_types = models.JSONField(default=list, blank=True)
    secret = models.CharField(max_length=128, default=new_secret)
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.url

    def wants(self, event_type):
        """Whether this subscription takes events of this type (`ticket.*` takes every ticket event)."""
        if not self.event_types:
            return True
        entity = event_type.split(".")[0]
        return event_type in self.event_types or f"{entity}.*" in self.event_types


class Delivery(models.Model):
    """One event for one subscription: claimed by one worker at a time, attempted until done."""

    class State(models.TextChoices):
        PENDING = "pending"  # waiting for its next attempt
        SENDING = "sending"  # claimed by a worker
        DELIVERED = "delivered"  # a 2xx answer
        FAILED = "failed"  # given up: a 4xx, a 410, or out of attempts

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="deliveries")
    # The idempotency id the receiver sees: the same on every attempt of this delivery.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker that dies while sending leaves its claim; past this time another may take it over.
    claimed_until = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="one_delivery_per_event")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.event.type} to {self.webhook.url}"


class DeliveryAttempt(models.Model):
    """One POST of a delivery: its answer (or error) and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    response_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"attempt {self.number}: {self.response_code or self.error}"
