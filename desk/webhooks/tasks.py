"""The webhook tasks: create an event's deliveries, then attempt each one, again later on failure."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from desk.webhooks.delivery import deliveries_create, delivery_attempt

logger = logging.getLogger(__name__)


def dispatch_later(event):
    """The event log's listener, on a worker: one delivery per wanting subscription, each queued."""
    for delivery_id in deliveries_create(event=event):
        webhook_deliver.enqueue(delivery_id)


@task()
def webhook_deliver(delivery_id):
    """Attempt one delivery; on a retryable failure, queue the next attempt after its backoff."""
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is not None:
        webhook_deliver.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(delivery_id)
