"""Queues again the deliveries a worker left behind: claims that expired, attempts long overdue."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from desk.webhooks.models import Delivery
from desk.webhooks.tasks import webhook_deliver

# A due delivery whose task is this late has lost it (its worker died before claiming).
OVERDUE = timedelta(minutes=10)


class Command(BaseCommand):
    help = "Queue deliveries whose worker died while sending, or whose next attempt is long overdue."

    def handle(self, *args, **options):
        now = timezone.now()
        stranded = Delivery.objects.filter(
            Q(state=Delivery.State.SENDING, claimed_until__lt=now)
            | Q(state=Delivery.State.PENDING, next_attempt_at__lt=now - OVERDUE)
        ).values_list("pk", flat=True)
        count = 0
        for delivery_id in stranded.iterator():
            # Queuing one twice is harmless: only one attempt can claim it.
            webhook_deliver.enqueue(delivery_id)
            count += 1
        self.stdout.write(f"Queued {count} delivery(ies) again.")
