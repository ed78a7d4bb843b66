"""App configuration for comments."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "desk.comments"
    label = "comments"
