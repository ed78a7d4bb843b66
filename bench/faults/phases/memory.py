"""Workers' memory over many ordinary requests: after warming up, it stays flat."""

import time

from bench.faults.processes import rss_kib
from bench.faults.report import latency, statuses
from bench.faults.seed import png_attachment

THREADS = 8
# A leak grows with every request; warming up (caches, connection state, allocator arenas) levels off.
# So the rate is judged over the second half only: total growth of all workers per request served,
# the slope of a least-squares line through a hundred samples, so that one step of the allocator at
# either end of the half (a new arena, a few MiB at once) does not decide it. A steady leak of L KiB
# a request gives the same slope L as the two ends did.
# Measured: about 0.2 KiB a request over the second half of 20,000, still 3 KiB over that of 3,000
# (warming up then lasts some 2,000 requests per worker), hence a looser bound for the quick run.
MAX_KIB_PER_REQUEST = 1.0
MAX_KIB_PER_REQUEST_QUICK = 8.0
SAMPLES = 100


def slope(points):
    """The least-squares slope of y over x through (x, y) points; 0 for fewer than two distinct x."""
    if len({x for x, _ in points}) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


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
    limit = MAX_KIB_PER_REQUEST_QUICK if context.quick else MAX_KIB_PER_REQUEST
    client = context.client()
    seeded = client.request(
        "POST", "/tickets", context.ticket_body(context.branches[0], "memory", png_attachment())
    )
    client.close()
    load = context.load(_step(context, seeded.json()["id"]), THREADS)
    load.start()
    # (requests answered, RSS of each worker) at each hundredth of the requests, then at the end.
    samples = []
    started = time.monotonic()
    while load.count() < total:
        done = load.count()
        if done >= total * (len(samples) + 1) / SAMPLES:
            samples.append((done, _worker_rss(context)))
        time.sleep(0.1)
    answers = load.stop()
    samples.append((len(answers), _worker_rss(context)))
    elapsed = time.monotonic() - started
    report.figure(
        phase,
        f"{len(answers)} requests, {THREADS} clients",
        f"{len(answers) / elapsed:.0f} req/s, {latency(answers)}",
    )
    report.check(
        phase, "every request answered 2xx", all(200 <= a.status < 300 for a in answers), statuses(answers)
    )
    curve = [(done, sum(value or 0 for value in rss.values())) for done, rss in samples]
    tenths = [curve[min(len(curve) - 1, index * len(curve) // 10)][1] for index in range(10)] + [curve[-1][1]]
    report.figure(
        phase,
        "all workers' RSS at each tenth, and at the end",
        " ".join(f"{kib / 1024:.0f}" for kib in tenths) + " MiB",
    )
    same = set(samples[0][1]) == set(samples[-1][1])
    report.check(
        phase, "no worker died or was replaced during the phase", same, f"{len(samples[-1][1])} workers"
    )
    second_half = [(done, kib) for done, kib in curve if done >= len(answers) / 2]
    rate = slope(second_half)
    ends = (second_half[-1][1] - second_half[0][1]) / max(1, second_half[-1][0] - second_half[0][0])
    report.check(
        phase,
        f"memory flat over the second half (≤ {limit:g} KiB per request, all workers)",
        same and rate <= limit,
        f"{rate:+.2f} KiB per request (fit over {len(second_half)} samples; ends alone {ends:+.2f}); "
        f"{second_half[0][1] / 1024:.0f} → {second_half[-1][1] / 1024:.0f} MiB",
    )
