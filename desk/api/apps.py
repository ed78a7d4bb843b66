"""App configuration for the shared REST plumbing."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "desk.api"
    label = "desk_api"

    def ready(self):
        from desk.api import sqlite_like  # noqa: F401  (connects its signal)
