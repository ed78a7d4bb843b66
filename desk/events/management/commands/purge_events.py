"""Deletes events older than DESK_EVENT_RETENTION_DAYS (or --days)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from desk.events.models import Event


class Command(BaseCommand):
    help = "Delete events older than the retention (DESK_EVENT_RETENTION_DAYS, 30 days by default)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days instead.")

    def handle(self, *args, days=None, **options):
        days = settings.DESK_EVENT_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days should be 0 or more.")
        deleted, _ = Event.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).delete()
        self.stdout.write(f"Deleted {deleted} event(s) older than {days} day(s).")
