"""App configuration for users."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "desk.users"
    label = "users"
