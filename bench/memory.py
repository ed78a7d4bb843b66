"""Worker memory over a long run: the reads of `make bench` in turn until N requests, RSS after each round.

Serves the database `make bench` seeded (same DATABASE_URL, REDIS_URL and DESK_VAR_DIR) with gunicorn as
production does but with recycling off, so that a leak cannot hide behind it:

    .venv/bin/python bench/memory.py [--requests 100000] [--round 5]

Every answer must be 2xx. The growth is a least-squares slope over the second half of the rounds (the
first half warms caches and connections), per worker, in bytes per request.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py, beside this file)

READS = ("branch list", "ticket list", "ticket by id", "comment list", "search", "sorted, page 200")


def slope(points):
    """Least-squares slope of (x, y) points."""
    count = len(points)
    mean_x = sum(x for x, _ in points) / count
    mean_y = sum(y for _, y in points) / count
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--round", type=float, default=5.0, help="seconds of wrk per round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 9211)))
    args = parser.parse_args()
    args.workers = args.worker_class = args.worker_threads = None
    args.seconds = args.round
    run.prepare_environment()
    username, key, ticket, _ = run.seed(0)
    reads = [(name, path) for name, method, path, _ in run.endpoints(ticket) if name in READS]
    server = run.start_server(args)
    base = f"http://127.0.0.1:{args.port}"
    served, rounds, started = 0, [], time.monotonic()
    try:
        rss = run.worker_rss_kib(server)
        rounds.append((0, rss))
        print(f"{'requests':>9}  {'worker RSS KiB':<24} endpoint", flush=True)
        print(f"{0:>9}  {str(rss):<24}", flush=True)
        while served < args.requests:
            name, path = reads[len(rounds) % len(reads)]
            budget = int(4000 * args.round) + 2000
            result = run.measure(args, base, username, key, budget, "GET", path, None)
            bad = result["non_2xx"] + result["ran_out"] + result["socket_errors"]
            if bad:
                raise SystemExit(f"REJECTED: {bad} answers of {name} were not 2xx (or ran out of headers)")
            served += result["requests"]
            rss = run.worker_rss_kib(server)
            rounds.append((served, rss))
            print(f"{served:>9}  {str(rss):<24} {name}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    second_half = rounds[len(rounds) // 2 :]
    print(f"\n{served} requests in {time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.1f}")
    for index in range(len(rounds[0][1])):
        points = [(requests, sizes[index] * 1024) for requests, sizes in second_half if index < len(sizes)]
        growth = slope(points)
        first, last = rounds[0][1][index], rounds[-1][1][index]
        print(f"worker {index + 1}: {first} -> {last} KiB; second half {growth:+.1f} bytes per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
