"""PostgreSQL, then Redis, stopped and started again under load: honest 503s, then service by itself."""

import time

from bench.faults.report import latency, statuses

THREADS = 6
BASELINE = 3.0
RECOVERY_LIMIT = 20.0
# Answers after the restart that must all be 2xx before the service counts as back.
SETTLED = 3.0
# After Redis restarts, the store refuses tokens created before its start, which it knows to the second.
REDIS_RESTART_GRACE = 3.0
REPLAY = "Previously used nonce detected."


def _step(context):
    """Half the clients list tickets, half create them: reads and writes both meet the outage."""

    def step(client, index):
        if index % 2:
            return [client.request("GET", "/tickets?limit=5")]
        body = context.ticket_body(context.branches[index % 3], "outage")
        return [client.request("POST", "/tickets", body)]

    return step


def _processes(context):
    return [(app.master, sorted(app.workers())) for app in context.stack.apps]


def _wait_until_settled(load, since):
    """Wait until the answers of the last SETTLED seconds are all 2xx, at most RECOVERY_LIMIT seconds."""
    deadline = since + RECOVERY_LIMIT + SETTLED
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = time.monotonic()
        if now - since < SETTLED:
            continue
        recent = load.since(now - SETTLED)
        if recent and all(200 <= answer.status < 300 for answer in recent):
            return


def _recovery(answers, up_at):
    """Seconds from the restart to the first answer after which every answer is 2xx; None if never."""
    after = sorted((a for a in answers if a.started >= up_at), key=lambda a: a.started)
    failures = [index for index, answer in enumerate(after) if not 200 <= answer.status < 300]
    if not failures:
        return 0.0
    if failures[-1] == len(after) - 1:
        return None
    return after[failures[-1] + 1].started - up_at


def _outage(context, report, phase, stop, start, *, outage_seconds, max_wait, allowed):
    """Run load across stop() and start(); record the checks. `allowed(answer, up_at)` excuses others."""
    before = _processes(context)
    load = context.load(_step(context), THREADS).start()
    try:
        time.sleep(BASELINE)
        down_at = time.monotonic()
        stop()
        time.sleep(outage_seconds)
        start()
        up_at = time.monotonic()
        _wait_until_settled(load, up_at)
    finally:
        answers = load.stop()
    during = [answer for answer in answers if down_at <= answer.started < up_at]
    unavailable = [answer for answer in answers if answer.status == 503]
    excused = [answer for answer in answers if answer.status != 503 and allowed(answer, up_at)]
    excused_ids = {id(answer) for answer in excused}
    wrong = [
        answer
        for answer in answers
        if not 200 <= answer.status < 300 and answer.status != 503 and id(answer) not in excused_ids
    ]
    report.figure(phase, f"{outage_seconds:.0f} s outage under {THREADS} clients", statuses(answers))
    report.check(phase, "no answer but 2xx or 503 (never a 500)", not wrong, statuses(wrong) if wrong else "")
    report.check(
        phase, "the outage was answered 503", sum(a.status == 503 for a in during) > 0, statuses(during)
    )
    honest = [a for a in unavailable if a.headers.get("retry-after", "").isdigit() and a.is_json_error()]
    report.check(
        phase,
        "every 503 has Retry-After and the JSON error shape",
        len(honest) == len(unavailable),
        f"{len(honest)} of {len(unavailable)}",
    )
    slowest = max((a.elapsed for a in unavailable), default=0.0)
    report.check(
        phase,
        f"503s within {max_wait:.1f} s",
        slowest <= max_wait,
        f"{latency(unavailable)}, max {slowest * 1000:.0f} ms",
    )
    recovery = _recovery(answers, up_at)
    report.check(
        phase,
        "back to 2xx without restarting any app server or worker",
        recovery is not None and before == _processes(context),
        "never" if recovery is None else f"{recovery:.1f} s after the restart",
    )
    if excused:
        report.figure(phase, "refused as possible replays right after the restart", statuses(excused))
    _check_writes(context, report, phase, answers)


def _check_writes(context, report, phase, answers):
    created = [answer.json() for answer in answers if answer.status == 201]
    with context.stack.database() as db:
        found = dict(
            db.execute("SELECT id, key FROM tickets_ticket WHERE id = ANY(%s)", [[t["id"] for t in created]])
        )
    lost = [ticket for ticket in created if found.get(ticket["id"]) != ticket["key"]]
    report.check(phase, "every 201 is in the database", not lost, f"{len(lost)} lost of {len(created)}")


def run_postgres(context, report):
    stack = context.stack
    # Connecting to a stopped server is refused at once; DATABASE_CONNECT_TIMEOUT bounds a silent one.
    _outage(
        context,
        report,
        "PostgreSQL stop/start",
        stack.stop_postgres,
        stack.start_postgres,
        outage_seconds=4 if context.quick else 10,
        max_wait=4.0,
        allowed=lambda answer, up_at: False,
    )


def _replay_after_restart(answer, up_at):
    data = answer.json() or {}
    return (
        answer.status == 401
        and data.get("error") == REPLAY
        and up_at - 1 <= answer.started <= up_at + REDIS_RESTART_GRACE
    )


def run_redis(context, report):
    stack = context.stack
    _outage(
        context,
        report,
        "Redis stop/start",
        stack.stop_redis,
        stack.start_redis,
        outage_seconds=4 if context.quick else 10,
        # WSSE_REDIS_TIMEOUT (0.5 s) for the requests Redis failed; then 503 at once until it answers.
        max_wait=1.5,
        allowed=_replay_after_restart,
    )
