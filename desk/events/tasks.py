"""Handing committed events to the workers: one task per event, which calls every listener.

With the database task backend (the default) the task row is written in the event's own transaction,
so an event is handed over if and only if it commits, even if the process dies right after. Any other
backend is given the task once the transaction commits.
"""

import logging

from django.db import InterfaceError, OperationalError, transaction
from django_tasks import task

logger = logging.getLogger(__name__)

# The database went away: a task cut short by these is run again once it is back (`db_worker`).
DATABASE_OUTAGES = (OperationalError, InterfaceError)


@task()
def events_fanout(event_id):
    """Run every listener (webhooks, mail) for one event; one listener failing does not stop the others."""
    from desk.events.log import listeners
    from desk.events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return  # purged or rolled back meanwhile
    for callback in listeners():
        try:
            callback(event)
        except DATABASE_OUTAGES:
            # Not the listener's fault: the whole fan-out runs again (webhooks send no delivery twice for it).
            raise
        except Exception:
            logger.exception("Event %s: listener %s failed", event_id, callback.__qualname__)


def _in_database_queue():
    return type(events_fanout.get_backend()).__module__.startswith("django_tasks_db")


def announce(event_id):
    """Queue the fan-out of an event: in its transaction when the queue is the database, else after it."""
    if _in_database_queue():
        events_fanout.enqueue(event_id)
        return

    def later():
        try:
            events_fanout.enqueue(event_id)
        except Exception:
            # The write has committed: a queue that is down must not turn it into an error.
            logger.exception("Event %s could not be queued", event_id)

    transaction.on_commit(later)
