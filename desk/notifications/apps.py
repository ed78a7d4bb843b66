"""E-mail notifications: the reporter, the assignee and the watchers hear of each ticket event."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "desk.notifications"
    label = "notifications"

    def ready(self):
        from desk.events.log import listen
        from desk.notifications.tasks import notify

        listen(notify)
