"""App configuration for branches."""

from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "desk.branches"
    label = "branches"

    def ready(self):
        from desk.branches import events  # noqa: F401  (registers how its changes are recorded)
