"""App configuration for tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "desk.tickets"
    label = "tickets"

    def ready(self):
        from desk.tickets import events  # noqa: F401  (registers how its changes are recorded)
