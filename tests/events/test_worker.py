"""The task worker outlives a database outage and takes back what a killed run of it left running."""

import threading

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from desk.events import log
from desk.events.management.commands.db_worker import Worker
from desk.events.models import Event
from desk.events.tasks import events_fanout
from tests.api.test_outages import Unreachable

# The worker opens and closes connections of its own; the test cannot hold it in one transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def worker(worker_id="worker-1"):
    return Worker(
        queue_names=["default"],
        interval=0.01,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def queued_fanout():
    event = Event.objects.create(type="ticket.created", entity="ticket", entity_id=1, data={"id": 1})
    return event, DBTaskResult.objects.get(pk=events_fanout.enqueue(event.pk).id)


def test_a_fanout_cut_short_by_an_outage_runs_again_once_the_database_is_back(monkeypatch, tmp_path):
    seen = []
    outage = Unreachable(tmp_path)

    def listener(event):
        seen.append(event.pk)
        if len(seen) == 1:
            # The database goes away in the middle of the first fan-out and comes back a moment later.
            outage.__enter__()
            threading.Timer(1.5, outage.__exit__, (None, None, None)).start()
            Event.objects.count()

    monkeypatch.setattr(log, "_LISTENERS", [listener])
    event, task = queued_fanout()
    worker().run()  # upstream's worker raised OperationalError here and exited

    task.refresh_from_db()
    assert seen == [event.pk, event.pk]
    assert task.status == TaskResultStatus.SUCCESSFUL


def test_a_worker_takes_back_the_tasks_its_killed_run_left_running(monkeypatch):
    seen = []
    monkeypatch.setattr(log, "_LISTENERS", [seen.append])
    mine, left_by_me = queued_fanout()
    other, left_by_another = queued_fanout()
    # What a `kill -9` leaves: the task claimed, marked running, never finished.
    left_by_me.claim("worker-1")
    left_by_another.claim("worker-2")

    worker("worker-1").run()

    left_by_me.refresh_from_db()
    left_by_another.refresh_from_db()
    assert [event.pk for event in seen] == [mine.pk]
    assert left_by_me.status == TaskResultStatus.SUCCESSFUL
    # Another worker's task may be running right now: it is left alone.
    assert left_by_another.status == TaskResultStatus.RUNNING
