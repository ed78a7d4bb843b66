"""App configuration for tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "desk.tickets"
    label = "tickets"
