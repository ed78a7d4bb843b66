"""Many concurrent writers through the balancer: every 201 is in the database, numbers contiguous."""

import threading
import time

from bench.faults.report import latency, statuses

WRITERS = 50


def run(context, report):
    phase = "writers"
    per_writer = 2 if context.quick else 20
    barrier = threading.Barrier(WRITERS)
    answers = [[] for _ in range(WRITERS)]

    def write(index):
        client = context.client()
        barrier.wait()
        for round_ in range(per_writer):
            # Each writer spreads over the branches, so all three counters are raced for at once.
            branch = context.branches[(index + round_) % len(context.branches)]
            body = context.ticket_body(branch, f"writer {index} ticket {round_}")
            answers[index].append(client.request("POST", "/tickets", body))
        client.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = [answer for batch in answers for answer in batch]
    created = [answer.json() for answer in flat if answer.status == 201]
    report.figure(
        phase,
        f"{WRITERS} writers × {per_writer} tickets",
        f"{len(flat) / elapsed:.0f} req/s, {latency(flat)}",
    )
    report.check(phase, "every create answered 201", len(created) == len(flat), statuses(flat))

    with context.stack.database() as db:
        rows = {
            ticket_id: (key, branch, number)
            for ticket_id, key, branch, number in db.execute(
                "SELECT id, key, branch_id, number FROM tickets_ticket WHERE branch_id = ANY(%s)",
                [context.branches],
            )
        }
    missing = [ticket for ticket in created if rows.get(ticket["id"], (None,))[0] != ticket["key"]]
    report.check(
        phase,
        "every 201 is in the database with its key",
        not missing,
        f"{len(missing)} of {len(created)} missing",
    )
    gaps = []
    for branch in context.branches:
        numbers = sorted(number for _, owner, number in rows.values() if owner == branch)
        if numbers != list(range(1, len(numbers) + 1)):
            gaps.append(branch)
    per_branch = {
        branch: sum(1 for _, owner, _ in rows.values() if owner == branch) for branch in context.branches
    }
    report.check(
        phase,
        "ticket numbers contiguous from 1 in each branch",
        not gaps and sum(per_branch.values()) == len(created),
        f"{len(rows)} rows for {len(created)} 201s; {len(gaps)} branches with gaps",
    )
