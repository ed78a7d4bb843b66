"""Webhooks: signed POSTs of events to subscribed URLs, delivered by task workers."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "desk.webhooks"
    label = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from desk.events.log import listen
        from desk.webhooks.tasks import dispatch_later

        listen(dispatch_later)
