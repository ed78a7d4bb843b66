"""`db_worker`, django-tasks-db's, made to outlive a database outage and a `kill -9` of itself.

Upstream's worker exits on the first database error, and a task it was running when it died stays
`RUNNING` for ever: an event whose fan-out was under way would never be delivered. This one waits for
the database to answer again, then takes back every task still marked as running under its own worker
id (ids are unique across the pool, so no other process can be running them) and goes on. A task
interrupted by the outage is run again rather than marked failed: the event tasks are safe to repeat
(deliveries exist once per subscription and event, and each attempt is claimed by one worker).
"""

import logging
import socket
import time

from django.db import connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from desk.events.tasks import DATABASE_OUTAGES

logger = logging.getLogger(__name__)

# Seconds between attempts to reach a database that is away: short, since the outage ends unannounced.
OUTAGE_PAUSE = 1.0


class Worker(upstream.Worker):
    """Upstream's loop, restarted after a database outage, with this worker's stranded tasks taken back."""

    def run(self):
        while True:
            try:
                self.take_back()
                super().run()
                return
            except DATABASE_OUTAGES as exc:
                logger.warning("Database unavailable (%s); trying again in %g s", exc, OUTAGE_PAUSE)
                # A broken connection would fail every later query; the next one connects afresh.
                connections.close_all()
                if not self.running:
                    return
                # The random start-up delay is for a fleet starting at once, not for each reconnection.
                self.startup_delay = False
                time.sleep(OUTAGE_PAUSE)

    def take_back(self):
        """Make this worker's `RUNNING` tasks ready again: it runs none of them now, so its last run died."""
        running = DBTaskResult.objects.running().filter(backend_name=self.backend_name)
        # JSON containment is not portable (SQLite has none), and running tasks are few.
        mine = [
            pk for pk, workers in running.values_list("pk", "worker_ids") if workers[-1:] == [self.worker_id]
        ]
        if mine:
            DBTaskResult.objects.filter(pk__in=mine, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY
            )
            logger.warning("Took back %d task(s) left running by worker %s", len(mine), self.worker_id)

    def run_task(self, db_task_result):
        set_failed = db_task_result.set_failed

        def fail_unless_outage(exc):
            if isinstance(exc, DATABASE_OUTAGES):
                # Left RUNNING: `run` waits for the database, then takes the task back.
                raise exc
            set_failed(exc)

        db_task_result.set_failed = fail_unless_outage
        super().run_task(db_task_result)


class Command(upstream.Command):
    help = "Run a database background worker that survives database outages and its own kill -9"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Stable across restarts, so that a restarted worker knows the tasks it was running when it died.
        parser.set_defaults(worker_id=socket.gethostname()[:64] or upstream.get_random_string(32))

    def handle(self, *args, **options):
        # Upstream builds its Worker by this module-level name; the subclass takes its place for the run.
        original, upstream.Worker = upstream.Worker, Worker
        try:
            return super().handle(*args, **options)
        finally:
            upstream.Worker = original
