"""The event log: every change, once, in the transaction that made it."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "desk.events"
    label = "events"
    default_auto_field = "django.db.models.BigAutoField"
