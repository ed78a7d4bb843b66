"""The project's own app: what no resource owns (database hooks, demo data, plain JSON answers)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "desk.core"
    label = "desk_core"

    def ready(self):
        from django.contrib import admin

        from desk.core import sqlite_like  # noqa: F401  (connects its signal)
        from desk.core.admin_login import ThrottledLoginForm

        admin.site.login_form = ThrottledLoginForm
