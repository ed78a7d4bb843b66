"""Load benchmark: signed GET/POST requests against a running server, reporting requests per second.

Usage (server started with `make run` and a key made with `manage.py generate_api_key`):
    .venv/bin/python bench/load.py --user admin --key <40-hex key> [--seconds 10] [--concurrency 8]
    .venv/bin/python bench/load.py --smoke ...   # a few requests, to check the benchmark itself works
Only loopback targets are allowed: this is for measuring the server on this machine.
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wsse_auth.client import make_header  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def worker(base, user, key, deadline, max_requests, path, results, lock):
    """Send requests on one keep-alive connection until the deadline or the request budget."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    latencies, statuses = [], {}
    sent = 0
    while time.monotonic() < deadline and sent < max_requests:
        started = time.perf_counter()
        conn.request("GET", parts.path.rstrip("/") + path, headers={"X-WSSE": make_header(user, key)})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        sent += 1
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    conn.close()
    with lock:
        results["latencies"].extend(latencies)
        for status, count in statuses.items():
            results["statuses"][status] = results["statuses"].get(status, 0) + count


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="http://127.0.0.1:8000/api/rest/latest/desk")
    parser.add_argument("--user", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--path", default="/branches?limit=25")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--smoke", action="store_true", help="20 requests on 2 connections")
    args = parser.parse_args()
    if urlsplit(args.base).hostname not in LOOPBACK:
        parser.error("only loopback addresses may be benchmarked")
    concurrency, seconds, budget = (2, 10.0, 10) if args.smoke else (args.concurrency, args.seconds, 10**9)

    results, lock = {"latencies": [], "statuses": {}}, threading.Lock()
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=worker, args=(args.base, args.user, args.key, deadline, budget, args.path, results, lock)
        )
        for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(results["latencies"])
    report = {
        "path": args.path,
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
        "statuses": results["statuses"],
    }
    print(json.dumps(report, indent=2))
    return 0 if set(results["statuses"]) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
