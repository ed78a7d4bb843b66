"""Task workers killed with -9 mid-delivery, then PostgreSQL stopped under them: every event delivered."""

import os
import random
import re
import signal
import statistics
import time
from collections import Counter

from bench.faults import processes
from bench.faults.report import statuses
from bench.faults.stack import PYTHON, ROOT

THREADS = 4
# Each client pauses between writes: the phase measures how deliveries recover from faults, so the
# writes stay below what two workers deliver on a shared machine (about 15 events a second measured).
PACE = 0.5
BASELINE = 3.0
KILL_EVERY = 2.0
# Load goes on this long after PostgreSQL is back, so the workers meet fresh events after the outage.
AFTER_OUTAGE = 5.0
# The drain waits until no new event has arrived for this long: a dead worker's claim lapses after
# three DESK_WEBHOOK_TIMEOUTs (6 s in the layout), then the operator's `webhooks_resume` queues it again.
DRAIN_STALL = 30.0
# `webhooks_resume` runs from cron every few minutes in production; every few seconds here.
RESUME_EVERY = 5.0
TAKEN_BACK = re.compile(r"Took back (\d+) task")


def _step(context, tickets):
    """Even clients create tickets, odd ones comment on theirs: two kinds of events, from two resources."""

    def step(client, index):
        time.sleep(PACE)
        if index % 2 == 0:
            body = context.ticket_body(context.branches[index % 3], "events")
            return [client.request("POST", "/tickets", body)]
        body = {"content": "Noted by the fault suite.", "ticket": tickets[index], "author": context.author}
        return [client.request("POST", "/comments", body)]

    return step


def _kill_workers(stack, seconds):
    """SIGKILL a random running task worker every KILL_EVERY seconds; the supervisor restarts it.

    Each kill waits (up to a second) for the receiver to be answering a POST, so that many land during
    a delivery rather than between tasks.
    """
    killed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(KILL_EVERY)
        stack.receiver.in_flight.wait(timeout=1.0)
        running = [worker for worker in stack.task_workers if worker.running()]
        if running:
            try:
                os.kill(random.choice(running).pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed


def _wait_for_restarts(stack, restarts, timeout=30.0):
    """Wait until the supervisor has made `restarts` restarts and every worker runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.supervisor.total_restarts() >= restarts and all(w.running() for w in stack.task_workers):
            return True
        time.sleep(0.1)
    return False


def _worker_pids(stack):
    return [worker.pid if worker.running() else None for worker in stack.task_workers]


def _events(context, since=0):
    """(id, type, entity, entity id, created_at as Unix time) of every committed event after `since`."""
    with context.stack.database() as db:
        return db.execute(
            "SELECT id, type, entity, entity_id, EXTRACT(EPOCH FROM created_at)::float FROM events_event"
            " WHERE id > %s ORDER BY id",
            [since],
        ).fetchall()


def _resume(context):
    """The operator's cron job: queue again the deliveries a dead worker left claimed; how many."""
    env = context.stack.app_env(context.stack.scratch / "migrate")
    command = [PYTHON, "manage.py", "webhooks_resume"]
    output = processes.run(command, logs=context.stack.logs, name="webhooks_resume", env=env, cwd=ROOT)
    words = output.split()
    return int(words[1]) if len(words) > 1 and words[1].isdigit() else 0


def _unfinished_deliveries(context):
    with context.stack.database() as db:
        return db.execute(
            "SELECT count(*) FROM webhooks_delivery WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]


def _drain(context):
    """Wait until every committed event has reached the receiver, or none came for DRAIN_STALL seconds.

    (events, seconds waited, deliveries queued again by `webhooks_resume`).
    """
    started = progress_at = time.monotonic()
    resumed = resumed_before = 0
    next_resume = started + RESUME_EVERY
    delivered = set()
    while True:
        events = _events(context)
        now_delivered = {item.event_id for item in context.stack.receiver.received()}
        if len(now_delivered) > len(delivered) or resumed > resumed_before:
            delivered, progress_at, resumed_before = now_delivered, time.monotonic(), resumed
        # Done when the receiver has every event and no delivery row waits: a POST a kill cut short
        # reached the receiver, but its row stays claimed until `webhooks_resume` sends it again.
        if (
            all(event[0] in delivered for event in events) and not _unfinished_deliveries(context)
        ) or time.monotonic() - progress_at > DRAIN_STALL:
            return events, time.monotonic() - started, resumed
        if time.monotonic() >= next_resume:
            resumed += _resume(context)
            next_resume = time.monotonic() + RESUME_EVERY
        time.sleep(0.5)


def run(context, report):
    phase = "task workers"
    stack = context.stack
    kill_seconds = 12 if context.quick else 40
    outage_seconds = 4 if context.quick else 10
    # The earlier phases' events first, so that this phase's delivery lag is its own.
    _, backlog_seconds, _ = _drain(context)
    report.figure(phase, "earlier phases' events delivered before this phase", f"in {backlog_seconds:.0f} s")
    first_event = max((event[0] for event in _events(context)), default=0)
    client = context.client()
    tickets = [
        client.request("POST", "/tickets", context.ticket_body(context.branches[1], "comments")).json()["id"]
        for _ in range(THREADS)
    ]
    client.close()
    restarts_before = stack.supervisor.total_restarts()
    load = context.load(_step(context, tickets), THREADS).start()
    try:
        time.sleep(BASELINE)
        killed = _kill_workers(stack, kill_seconds)
        back = _wait_for_restarts(stack, restarts_before + killed)
        restarted = stack.supervisor.total_restarts() - restarts_before
        pids = _worker_pids(stack)
        down_at = time.monotonic()
        stack.stop_postgres()
        time.sleep(outage_seconds)
        stack.start_postgres()
        up_at = time.monotonic()
        time.sleep(AFTER_OUTAGE)
    finally:
        answers = load.stop()
    restarted_in_outage = stack.supervisor.total_restarts() - restarts_before - restarted
    report.figure(
        phase, f"{kill_seconds} s of kills, then PostgreSQL stopped {outage_seconds} s", statuses(answers)
    )
    # A request sent just before the stop may be answered during it; none after the restart is a 503.
    outside = [
        a for a in answers if a.status != 201 and not (a.status == 503 and down_at - 1 <= a.started < up_at)
    ]
    report.check(
        phase,
        "every answer 201, or 503 while PostgreSQL was down",
        answers and not outside,
        statuses(answers) + (f"; outside the outage: {statuses(outside)}" if outside else ""),
    )
    report.check(
        phase,
        "every killed worker restarted by the supervisor",
        killed and back and restarted == killed,
        f"{killed} kills, {restarted} restarts",
    )
    report.check(
        phase,
        "the workers rode out the PostgreSQL outage: same processes, no restart",
        restarted_in_outage == 0 and pids == _worker_pids(stack) and None not in pids,
        f"{restarted_in_outage} restarts during and after the outage",
    )

    events, waited, resumed = _drain(context)
    _check_acknowledged(context, report, phase, answers, events)
    _check_deliveries(context, report, phase, events, first_event, waited, resumed)


def _check_acknowledged(context, report, phase, answers, events):
    """Every acknowledged ticket and comment has its `.created` event in the log."""
    acknowledged = {
        ("ticket" if answer.path == "/tickets" else "comment", answer.json()["id"])
        for answer in answers
        if answer.status == 201
    }
    recorded = {(entity, entity_id) for _, kind, entity, entity_id, _ in events if kind.endswith(".created")}
    missing = acknowledged - recorded
    report.check(
        phase,
        "every acknowledged write has its event",
        acknowledged and not missing,
        f"{len(missing)} missing of {len(acknowledged)} writes",
    )


def _check_deliveries(context, report, phase, events, first_event, waited, resumed):
    received = context.stack.receiver.received()
    first = {}
    for item in received:
        first.setdefault(item.event_id, item.received_at)
    lost = [event for event in events if event[0] not in first]
    report.check(
        phase,
        "every committed event of the whole run delivered at least once",
        events and not lost,
        f"{len(events) - len(lost)} of {len(events)} delivered, drained in {waited:.0f} s",
    )
    per_event = Counter(item.event_id for item in received)
    duplicates = sum(count - 1 for count in per_event.values())
    report.figure(
        phase,
        "deliveries received, duplicates (same event again)",
        f"{len(received)} POSTs for {len(per_event)} events: {duplicates} duplicates "
        f"({sum(1 for count in per_event.values() if count > 1)} events)",
    )
    report.check(
        phase,
        "every delivery signed with the subscription's secret",
        all(item.signed for item in received),
        f"{sum(not item.signed for item in received)} unsigned or wrong",
    )
    mine = [event for event in events if event[0] > first_event and event[0] in first]
    lags = sorted(first[event[0]] - event[4] for event in mine)
    if lags:
        report.figure(
            phase,
            "delivery lag of this phase's events (commit to first receipt)",
            f"{len(mine)} events: p50 {statistics.median(lags):.1f} s, max {lags[-1]:.1f} s",
        )
    with context.stack.database() as db:
        failed_tasks = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        ).fetchone()[0]
        states = dict(db.execute("SELECT state, count(*) FROM webhooks_delivery GROUP BY state"))
    report.check(
        phase,
        "no task marked failed; every delivery row ends delivered",
        not failed_tasks and set(states) == {"delivered"},
        f"{failed_tasks} failed tasks; deliveries {dict(sorted(states.items()))}",
    )
    taken_back = sum(
        int(count)
        for worker in context.stack.task_workers
        for count in TAKEN_BACK.findall(worker.log_path.read_text(errors="replace"))
    )
    report.figure(
        phase,
        "recovered: tasks taken back by restarted workers, deliveries queued again by webhooks_resume",
        f"{taken_back} tasks, {resumed} deliveries; {context.stack.receiver.cut} POSTs cut by a kill",
    )
