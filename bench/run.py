"""`make bench`: the API under wrk, every figure a fraction of the same run's /healthz floor.

Seeds the database it is given (tops it up to `--tickets`), starts gunicorn as production does, and for
each endpoint pre-signs one WSSE header per request (bench/wrk/signed.lua hands them out), runs wrk and
prints requests/s, p50, p99 and the fraction of the floor. Any answer outside 2xx voids the run (exit 1).

    .venv/bin/python bench/run.py [--quick] [--tickets N] [--seconds S] [--json FILE]
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/run.py --tickets 1000000
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LUA = ROOT / "bench" / "wrk" / "signed.lua"
STAFF = "/api/rest/latest/desk"


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="2,000 tickets, 3 s an endpoint (about a minute)"
    )
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 9210)))
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: gunicorn_conf's)")
    parser.add_argument("--worker-class", help="GUNICORN_WORKER_CLASS: asgi, sync or gthread")
    parser.add_argument("--worker-threads", type=int, help="GUNICORN_THREADS for gthread")
    parser.add_argument("--only", help="comma-separated endpoint names to run (the floor always runs)")
    parser.add_argument("--json", help="write the results to this file as well")
    args = parser.parse_args()
    if args.quick:
        args.tickets, args.seconds = min(args.tickets, 2_000), 3.0
    return args


def prepare_environment():
    """The bench's own var/ folder, so the SQLite default never touches the developer's database."""
    os.environ.setdefault("DESK_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")
    # A request log line per request would measure the terminal, not the server.
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")


def seed(tickets):
    """Migrate, top the data up, and return (username, a fresh key, a ticket in the middle)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from desk.tickets.models import Ticket
    from desk.users.models import User
    from wsse_auth.models import ApiKey
    from wsse_auth.services import api_key_create

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", tickets=tickets, customers=max(100, tickets // 100), stdout=sys.stderr)
    print(f"seeded in {time.monotonic() - started:.1f} s", file=sys.stderr)
    admin = User.objects.get(username="admin")
    # One bench key, reused: every active key of a user costs a digest on each of its requests.
    kept = ApiKey.objects.filter(user=admin, label="bench", revoked_at__isnull=True).first()
    key = (kept or api_key_create(owner=admin, label="bench")).key
    count = Ticket.objects.count()
    ticket = bench_ticket(count)
    connections.close_all()
    return admin.username, key, ticket, count


def bench_ticket(count):
    """The ticket the reads name (one in the middle), with `scratch`: the ticket the comment creates go to.

    Comments are created on another ticket, the oldest, so that the ticket read keeps the few comments
    it was seeded with however many runs went before (it embeds them all).
    """
    from desk.tickets.models import Ticket

    tickets = Ticket.objects.order_by("id")
    middle = tickets.values("id", "key", "branch_id")[count // 2]
    return {**middle, "scratch": tickets.values_list("id", flat=True)[0]}


def endpoints(ticket):
    """(name, method, path, body) in the order of the issue."""
    ticket_body = {
        "branch": ticket["branch_id"],
        "subject": "Bench ticket",
        "description": "Created by bench/run.py.",
        "status": "new",
        "priority": "medium",
        "source": "web",
        "reporter": "oro_1",
    }
    comment_body = {"content": "Bench comment.", "ticket": ticket["scratch"], "author": "oro_1"}
    return [
        ("branch list", "GET", f"{STAFF}/branches", None),
        ("ticket list", "GET", f"{STAFF}/tickets?limit=25", None),
        ("subject filter", "GET", f"{STAFF}/tickets?subject=refund", None),
        ("status filter", "GET", f"{STAFF}/tickets?status=open", None),
        ("sorted, page 200", "GET", f"{STAFF}/tickets?sort=updated_at&order=desc&page=200", None),
        ("ticket by key", "GET", f"{STAFF}/tickets/{ticket['key']}", None),
        ("ticket by id", "GET", f"{STAFF}/tickets/{ticket['id']}", None),
        ("search", "GET", f"{STAFF}/tickets/search?q=warranty", None),
        ("comment list", "GET", f"{STAFF}/comments?ticket={ticket['id']}", None),
        ("ticket create", "POST", f"{STAFF}/tickets", json.dumps(ticket_body)),
        ("comment create", "POST", f"{STAFF}/comments", json.dumps(comment_body)),
    ]


def start_server(args):
    env = dict(os.environ)
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.worker_class:
        env["GUNICORN_WORKER_CLASS"] = args.worker_class
    if args.worker_threads:
        env["GUNICORN_THREADS"] = str(args.worker_threads)
    # Workers are recycled in production too; the memory figure below is read with recycling off.
    env.setdefault("GUNICORN_MAX_REQUESTS", "0")
    from diamantedesk import gunicorn_conf

    asgi = (args.worker_class or gunicorn_conf.worker_class) == "asgi"
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "diamantedesk.asgi:application" if asgi else "diamantedesk.wsgi:application",
        "-c",
        "python:diamantedesk.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{args.port}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not answer /healthz within 30 s")


def worker_rss_kib(server):
    """Resident memory of each gunicorn worker, in KiB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return sizes


def run_wrk(
    args, url, method="GET", body=None, headers_file=None, connections=None, threads=None, seconds=None
):
    """One wrk run through signed.lua; the JSON line its done() prints."""
    threads = threads or args.threads
    env = dict(os.environ, BENCH_METHOD=method, BENCH_BODY=body or "", BENCH_THREADS=str(threads))
    env["BENCH_HEADERS"] = headers_file or ""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections or args.connections}",
        f"-d{round(seconds or args.seconds)}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    line = next(text for text in finished.stdout.splitlines() if text.startswith('{"requests"'))
    result = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"]
    if finished.stderr.strip():
        result["note"] = finished.stderr.strip().splitlines()[0]
    return result


def signed_headers(username, key, count):
    """A file with `count` freshly signed headers, one a line."""
    from wsse_auth.client import make_header

    handle = tempfile.NamedTemporaryFile("w", prefix="bench-wsse-", suffix=".txt", delete=False)
    with handle:
        handle.writelines(make_header(username, key) + "\n" for _ in range(count))
    return handle.name


def measure(args, base, username, key, budget, method, path, body, **wrk_options):
    headers = signed_headers(username, key, budget)
    try:
        return run_wrk(args, base + path, method, body, headers, **wrk_options)
    finally:
        os.unlink(headers)


def describe_database():
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return engine + (" + Redis" if settings.REDIS_URL else "")


def main():
    args = parse_args()
    prepare_environment()
    username, key, ticket, count = seed(args.tickets)
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args)
    results, failed = [], False
    try:
        rss_before = worker_rss_kib(server)
        floors = [run_wrk(args, base + "/healthz")]
        # No endpoint answers faster than the floor, so this many headers always last the run.
        budget = int(floors[0]["rps"] * args.seconds * 1.5) + 2000
        wanted = set(args.only.split(",")) if args.only else None
        runs = [(name, method, path, body, {}) for name, method, path, body in endpoints(ticket)]
        for name in ("subject filter", "search"):
            path = next(path for endpoint, _, path, _ in endpoints(ticket) if endpoint == name)
            solo = {"connections": 1, "threads": 1}
            runs.append((f"{name}, unloaded", "GET", path, None, solo))
        for name, method, path, body, options in runs:
            if wanted and name.split(",")[0] not in wanted:
                continue
            # The floor is measured again beside every endpoint: on a shared machine the capacity left
            # to this server drifts, and each figure is a fraction of the floor measured next to it.
            floor = run_wrk(args, base + "/healthz", seconds=max(2, args.seconds / 2))
            if floor["requests"] == 0:
                # The previous endpoint's slow requests still held the workers: measure again once drained.
                time.sleep(args.seconds)
                floor = run_wrk(args, base + "/healthz", seconds=max(2, args.seconds / 2))
            floors.append(floor)
            result = measure(args, base, username, key, budget, method, path, body, **options)
            results.append({"name": name, "path": path, "floor_rps": floor["rps"], **result})
        rss_after = worker_rss_kib(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "machine": f"{platform.node()} {platform.machine()} {len(os.sched_getaffinity(0))} cores",
        "load_average": os.getloadavg(),
        "database": describe_database(),
        "tickets": count,
        "wrk": f"-t{args.threads} -c{args.connections} -d{round(args.seconds)}s",
        "server": server_description(args),
        "floor_rps": [round(floor["rps"]) for floor in floors],
        "worker_rss_kib": {"before": rss_before, "after": rss_after},
        "results": [],
    }
    print(f"\n{report['database']}, {count} tickets, wrk {report['wrk']}, {report['server']}")
    print(f"load average at the end: {report['load_average'][0]:.1f}\n")
    # The floor beside an endpoint is bimodal: whether wrk's connections happen to land on one worker
    # or on both. The run's median floor is the steadier yardstick; both fractions are printed.
    median_floor = statistics.median(floor["rps"] for floor in floors)
    report["median_floor_rps"] = round(median_floor)
    print(f"median floor: {median_floor:.0f} req/s\n")
    header = f"{'request':<26} {'req/s':>7} {'floor':>7} {'p50 ms':>8} {'p99 ms':>8} {'÷ floor':>8}"
    print(f"{header} {'÷ median':>8}  non-2xx")
    for result in results:
        share = result["rps"] / result["floor_rps"] if result["floor_rps"] else float("nan")
        steady = result["rps"] / median_floor if median_floor else float("nan")
        bad = result["non_2xx"] + result["ran_out"] + result["socket_errors"]
        failed = failed or bad > 0
        print(
            f"{result['name']:<26} {result['rps']:>7.0f} {result['floor_rps']:>7.0f} {result['p50_ms']:>8.2f}"
            f" {result['p99_ms']:>8.2f} {share:>8.3f} {steady:>8.3f}  {bad}  {result.get('note', '')}"
        )
        report["results"].append({**result, "fraction": round(share, 4), "of_median_floor": round(steady, 4)})
    print(f"\nworker RSS KiB: {rss_before} before, {rss_after} after")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    if failed:
        print("\nREJECTED: some answers were not 2xx (or the run ran out of fresh headers).", file=sys.stderr)
        return 1
    return 0


def server_description(args):
    from diamantedesk import gunicorn_conf

    workers = args.workers or gunicorn_conf.workers
    worker_class = args.worker_class or gunicorn_conf.worker_class
    threads = (
        f" x {args.worker_threads or gunicorn_conf.threads} threads" if worker_class == "gthread" else ""
    )
    return f"gunicorn {workers} {worker_class} workers{threads}"


if __name__ == "__main__":
    sys.exit(main())
