"""App configuration for attachments."""

from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "desk.attachments"
    label = "attachments"
