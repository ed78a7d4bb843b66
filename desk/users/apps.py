"""App configuration for users."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "desk.users"
    label = "users"

    def ready(self):
        from desk.users import events  # noqa: F401  (registers how its changes are recorded)
