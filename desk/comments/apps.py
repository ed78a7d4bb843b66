"""App configuration for comments."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "desk.comments"
    label = "comments"

    def ready(self):
        from desk.comments import events  # noqa: F401  (registers how its changes are recorded)
