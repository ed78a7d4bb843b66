"""App configuration for branches."""

from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "desk.branches"
    label = "branches"
