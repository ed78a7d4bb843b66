"""`kill -9` of app workers under ticket and upload load: no acknowledged write lost, nothing left behind."""

import os
import random
import signal
import time

from bench.faults import processes
from bench.faults.report import statuses
from bench.faults.seed import multipart, png_attachment
from bench.faults.stack import PYTHON, ROOT, WORKERS_PER_APP

THREADS = 6
# Above FILE_UPLOAD_MAX_MEMORY_SIZE (5 MiB), so each upload spills into a worker's temporary folder.
LARGE_UPLOAD = os.urandom(6 * 1024 * 1024)
KILL_EVERY = 1.5
# The balancer answers 502 for a request whose worker died before answering: never acknowledged.
UNACKNOWLEDGED = {502}


def _attachment_ids(answer):
    data = answer.json()
    items = data if isinstance(data, list) else data.get("attachments", [])
    return [item["id"] if isinstance(item, dict) else item for item in items]


def _step(context, tickets):
    """Even clients create tickets with an image (file and thumbnail); odd ones upload large files."""

    def step(client, index):
        if index % 2 == 0:
            body = context.ticket_body(context.branches[index % 3], "kills", png_attachment())
            return [client.request("POST", "/tickets", body)]
        body, content_type = multipart("file", "large.bin", LARGE_UPLOAD)
        return [
            client.request("POST", f"/tickets/{tickets[index]}/attachments", body, content_type=content_type)
        ]

    return step


def _kill_workers(context, seconds):
    """SIGKILL one random worker of a random app server every KILL_EVERY seconds; the number killed."""
    killed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(KILL_EVERY)
        app = random.choice(context.stack.apps)
        workers = app.workers()
        if workers:
            try:
                os.kill(random.choice(workers), signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed


def _wait_for_workers(context, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(len(app.workers()) == WORKERS_PER_APP for app in context.stack.apps):
            return True
        time.sleep(0.2)
    return False


def run(context, report):
    phase = "kill -9"
    seconds = 15 if context.quick else 60
    masters = [app.master for app in context.stack.apps]
    client = context.client()
    tickets = [
        client.request("POST", "/tickets", context.ticket_body(context.branches[0], "uploads")).json()["id"]
        for _ in range(THREADS)
    ]
    client.close()
    load = context.load(_step(context, tickets), THREADS).start()
    killed = _kill_workers(context, seconds)
    answers = load.stop()
    respawned = _wait_for_workers(context)
    acknowledged = [answer for answer in answers if answer.status == 201]
    report.figure(phase, f"workers killed in {seconds} s of load", f"{killed} kills, {len(answers)} requests")
    report.check(
        phase,
        "every answer is 201, or 502 from the balancer for a killed request",
        acknowledged and all(a.status == 201 or a.status in UNACKNOWLEDGED for a in answers),
        statuses(answers),
    )
    # A kill can fail only the requests in flight on that worker, at most one per client thread.
    failed = sum(1 for answer in answers if answer.status in UNACKNOWLEDGED)
    report.check(
        phase,
        f"a kill fails only requests in flight (502s ≤ kills × {THREADS} clients)",
        failed <= killed * THREADS,
        f"{failed} 502s for {killed} kills",
    )
    report.check(
        phase,
        "app servers kept their masters and respawned every worker",
        respawned
        and masters == [app.master for app in context.stack.apps]
        and all(a.process.running() for a in context.stack.apps),
        f"{sum(len(app.workers()) for app in context.stack.apps)} workers",
    )
    rows = _check_writes(context, report, phase, acknowledged)
    _check_leftovers(context, report, phase)
    _check_sweep(context, report, phase, rows)


def _check_writes(context, report, phase, acknowledged):
    """Every acknowledged ticket and attachment is in the database, and its files are in storage."""
    ticket_ids = [a.json()["id"] for a in acknowledged if a.path == "/tickets"]
    attachment_ids = [item for a in acknowledged for item in _attachment_ids(a)]
    with context.stack.database() as db:
        found_tickets = {
            row[0] for row in db.execute("SELECT id FROM tickets_ticket WHERE id = ANY(%s)", [ticket_ids])
        }
        rows = db.execute(
            "SELECT id, file, thumbnail, size FROM attachments_attachment WHERE id = ANY(%s)",
            [attachment_ids],
        ).fetchall()
    lost = len(set(ticket_ids) - found_tickets) + len(set(attachment_ids) - {row[0] for row in rows})
    report.check(
        phase,
        "no acknowledged write lost (tickets, attachments)",
        not lost,
        f"{lost} lost of {len(ticket_ids)} tickets and {len(attachment_ids)} attachments",
    )
    missing = _missing_files(context, rows)
    report.check(
        phase,
        "every acknowledged attachment's file is in storage, whole",
        not missing,
        f"{len(missing)} missing or short",
    )
    return rows


def _missing_files(context, rows):
    """The attachment rows whose file is absent or of another size, or whose thumbnail is absent."""
    sizes = context.stack.stored_sizes()
    return [row for row in rows if sizes.get(row[1]) != row[3] or (row[2] and row[2] not in sizes)]


def _orphans(context):
    """Objects in storage that no attachment row names."""
    with context.stack.database() as db:
        named = set()
        for file_name, thumbnail in db.execute("SELECT file, thumbnail FROM attachments_attachment"):
            named.update(name for name in (file_name, thumbnail) if name)
    return [name for name in context.stack.stored_sizes() if name not in named], len(named)


def _check_leftovers(context, report, phase):
    """Orphan objects, as a figure, and upload temporary files on any host, as a check."""
    # A worker killed between storing a file and committing its row leaves an object no process can
    # remove at that moment: a figure here, and the sweep's job below.
    orphans, named = _orphans(context)
    report.figure(
        phase,
        "orphan files left by the kills, before the sweep",
        f"{len(orphans)} of {named + len(orphans)} objects",
    )
    leftovers = [path for app in context.stack.apps for path in app.temporary_files()]
    report.check(
        phase,
        "no upload temporary file left on any host",
        not leftovers,
        f"{len(leftovers)} files"
        + (f", e.g. {leftovers[0].relative_to(context.stack.scratch)}" if leftovers else ""),
    )


def _check_sweep(context, report, phase, rows):
    """The operator's sweep, `purge_attachment_files`, removes every orphan and no acknowledged file."""
    env = context.stack.app_env(context.stack.scratch / "migrate")
    command = [PYTHON, "manage.py", "purge_attachment_files", "--older-than", "0"]
    processes.run(command, logs=context.stack.logs, name="purge", env=env, cwd=ROOT)
    orphans, _ = _orphans(context)
    missing = _missing_files(context, rows)
    report.check(
        phase,
        "no orphan file after purge_attachment_files, no acknowledged file removed by it",
        not orphans and not missing,
        f"{len(orphans)} orphans, {len(missing)} files missing",
    )
