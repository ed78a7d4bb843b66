"""App configuration for attachments."""

from django.apps import AppConfig
from django.core.signals import request_finished


class AttachmentsConfig(AppConfig):
    name = "desk.attachments"
    label = "attachments"

    def ready(self):
        from desk.attachments import (
            events,  # noqa: F401  (registers how its changes are recorded)
            signals,  # noqa: F401  (connects the deletion receivers)
        )
        from desk.attachments.storage import discard_uncommitted_files

        request_finished.connect(discard_uncommitted_files, dispatch_uid="attachments_discard_uncommitted")
