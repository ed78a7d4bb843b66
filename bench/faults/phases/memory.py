"""Workers' memory over many ordinary requests: after warming up, it stays flat."""

import time

from bench.faults.client import Load
from bench.faults.processes import rss_kib
from bench.faults.report import latency, statuses
from bench.faults.seed import png_attachment
from bench.faults.stack import NGINX_PORT

THREADS = 8
# After this share of the requests, caches, pools and allocator arenas are warm; growth after it is a leak.
WARM_SHARE = 0.25
# Most a worker may grow from the warm mark to the end. A leak of 1 KiB a request, at about 1/6 of the
# requests per worker, is 2.5 MiB per 15,000 requests; noise measured on idle runs stays under 2 MiB.
MAX_GROWTH_KIB = 2 * 1024


def _step(context, ticket_id):
    """One round: lists, a read, a search, and a ticket created in one round of five.

    The ticket read never changes and lists are pages of 25, so an answer's size stays the same
    however many requests ran: growth would be the server's, not the data's.
    """

    def step(client, index):
        answers = [
            client.request("GET", "/tickets?limit=25&sort=id&order=desc"),
            client.request("GET", f"/tickets/{ticket_id}"),
            client.request("GET", "/branches"),
            client.request("GET", "/tickets/search?q=writer&limit=25"),
        ]
        if index % 5 == 0:
            body = context.ticket_body(context.branches[index % 3], "memory")
            answers.append(client.request("POST", "/tickets", body))
        return answers

    return step


def _worker_rss(context):
    return {pid: rss_kib(pid) for app in context.stack.apps for pid in app.workers()}


def run(context, report):
    phase = "memory"
    total = 3000 if context.quick else 20000
    client = context.client()
    seeded = client.request(
        "POST", "/tickets", context.ticket_body(context.branches[0], "memory", png_attachment())
    )
    client.close()
    load = Load(NGINX_PORT, context.user, context.key, _step(context, seeded.json()["id"]), THREADS)
    load.start()
    warm = None
    # The total RSS of the workers at each tenth of the requests: a leak shows as a steady climb.
    curve = []
    started = time.monotonic()
    while load.count() < total:
        done = load.count()
        if warm is None and done >= total * WARM_SHARE:
            warm = _worker_rss(context)
        if done >= total * (len(curve) + 1) / 10:
            curve.append(sum(value or 0 for value in _worker_rss(context).values()))
        time.sleep(0.2)
    answers = load.stop()
    end = _worker_rss(context)
    elapsed = time.monotonic() - started
    report.figure(
        phase,
        f"{len(answers)} requests, {THREADS} clients",
        f"{len(answers) / elapsed:.0f} req/s, {latency(answers)}",
    )
    report.check(
        phase, "every request answered 2xx", all(200 <= a.status < 300 for a in answers), statuses(answers)
    )
    report.figure(
        phase,
        "all workers' RSS at each tenth of the requests",
        " ".join(f"{kib / 1024:.0f}" for kib in curve) + " MiB",
    )
    same = set(warm) == set(end)
    report.check(phase, "no worker died or was replaced during the phase", same, f"{len(end)} workers")
    growth = {pid: end[pid] - warm[pid] for pid in end if pid in warm and end[pid] and warm[pid]}
    worst = max(growth.values(), default=0)
    mib = ", ".join(f"{warm[pid] / 1024:.0f}→{end[pid] / 1024:.0f}" for pid in sorted(growth))
    report.check(
        phase,
        f"worker memory flat after the first {WARM_SHARE:.0%} (growth ≤ {MAX_GROWTH_KIB // 1024} MiB each)",
        same and worst <= MAX_GROWTH_KIB,
        f"worst +{worst / 1024:.1f} MiB; RSS MiB {mib}",
    )
