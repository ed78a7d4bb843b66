"""Unloaded cost of each endpoint of `make bench`: one request at a time, in process, wall and CPU ms.

A shared machine's load moves requests/s by several times from run to run; the CPU time one request
takes in this process, and its latency with nothing else queued, move far less. Run it on the
database `make bench` seeded (same DATABASE_URL, REDIS_URL and DESK_VAR_DIR):

    .venv/bin/python bench/request_cost.py [--requests 100] [--json FILE]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100, help="measured requests per endpoint")
    parser.add_argument("--json", help="write the results to this file as well")
    args = parser.parse_args()
    from run import prepare_environment

    prepare_environment()
    import django

    django.setup()
    from django.test import Client
    from run import bench_ticket, endpoints

    from desk.tickets.models import Ticket
    from desk.users.models import User
    from wsse_auth.client import make_header
    from wsse_auth.models import ApiKey
    from wsse_auth.services import api_key_create

    admin = User.objects.get(username="admin")
    kept = ApiKey.objects.filter(user=admin, label="bench", revoked_at__isnull=True).first()
    key = (kept or api_key_create(owner=admin, label="bench")).key
    count = Ticket.objects.count()
    ticket = bench_ticket(count)
    client = Client()
    results = []
    for name, method, path, body in [("floor", "GET", "/healthz", None), *endpoints(ticket)]:
        walls, cpus = [], []
        for index in range(args.requests + 10):
            headers = {"HTTP_X_WSSE": make_header(admin.username, key), "HTTP_HOST": "127.0.0.1"}
            started, cpu = time.perf_counter(), time.process_time()
            if method == "GET":
                response = client.get(path, **headers)
            else:
                response = client.post(path, body, content_type="application/json", **headers)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            if not 200 <= response.status_code < 300:
                raise SystemExit(f"{name}: {response.status_code} {response.content[:200]!r}")
            if index >= 10:  # the first ones warm caches and connections
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
        result = {
            "name": name,
            "path": path,
            "p50_ms": round(statistics.median(walls), 2),
            "cpu_ms": round(statistics.median(cpus), 2),
        }
        results.append(result)
        print(f"{name:<20} p50 {result['p50_ms']:>8.2f} ms   CPU {result['cpu_ms']:>7.2f} ms", flush=True)
    if args.json:
        report = {"tickets": count, "load_average": os.getloadavg(), "results": results}
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
