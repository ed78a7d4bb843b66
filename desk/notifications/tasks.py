"""Sending notifications on a worker; a failed send is retried later for the recipients it missed."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import task

from desk.events.models import Event
from desk.notifications.messages import NOTIFIED, build, context_for
from desk.notifications.recipients import recipients_for, ticket_people

logger = logging.getLogger(__name__)


def notify(event):
    """The event log's listener: mail the people of the event's ticket, when notifications are on."""
    if settings.DESK_MAIL_NOTIFICATIONS and event.type in NOTIFIED:
        send(event)


def send(event, only=None, attempt=1):
    """Send the event's messages (to the people in `only`, when given); queue a retry for failed ones."""
    ticket, people = ticket_people(event)
    recipients = [
        person for person in recipients_for(event, people) if only is None or person.person_id in only
    ]
    if not recipients:
        return
    context = context_for(event, ticket)
    failed = []
    with get_connection() as connection:
        for recipient in recipients:
            try:
                connection.send_messages([build(event, ticket, recipient, context)])
            except Exception:
                logger.exception(
                    "Event %s: mail to %s failed (attempt %s)", event.pk, recipient.person_id, attempt
                )
                failed.append(recipient.person_id)
    if failed and attempt < settings.DESK_MAIL_MAX_ATTEMPTS:
        delay = settings.DESK_MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
        later = notifications_retry.using(run_after=timezone.now() + timedelta(seconds=delay))
        later.enqueue(event.pk, failed, attempt + 1)


@task()
def notifications_retry(event_id, person_ids, attempt):
    """Send an event's messages again to those whose sending failed."""
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        send(event, only=set(person_ids), attempt=attempt)
