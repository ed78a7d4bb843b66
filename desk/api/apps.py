"""App configuration for the shared REST plumbing."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "desk.api"
    label = "desk_api"
