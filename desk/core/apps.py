"""The project's own app: what no resource owns (database hooks, demo data, plain JSON answers)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "desk.core"
    label = "desk_core"

    def ready(self):
        from desk.core import sqlite_like  # noqa: F401  (connects its signal)
