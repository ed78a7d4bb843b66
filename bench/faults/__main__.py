"""`python -m bench.faults [--quick] [--only PHASE ...]`: stand the layout up, inject the faults, report."""

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from bench.faults.phases import events, kills, memory, outages, replay, writers
from bench.faults.report import Report
from bench.faults.seed import seed
from bench.faults.stack import DEFAULT_PORT_BASE, ROOT, Stack

PHASES = {
    "writers": writers.run,
    "replay": replay.run,
    "memory": memory.run,
    "kills": kills.run,
    "postgres": outages.run_postgres,
    "redis": outages.run_redis,
    "worker": events.run,
}


def _stop_on_signal(signum, frame):
    # SystemExit unwinds through the `finally` below, so a Ctrl-C or a CI timeout still tears down.
    raise SystemExit(128 + signum)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short phases, for CI (about 3 minutes)")
    parser.add_argument("--only", nargs="+", choices=list(PHASES), help="run only these phases")
    parser.add_argument("--logs", default=str(ROOT / "var" / "faults"), help="where each service logs")
    parser.add_argument(
        "--port-base",
        type=int,
        default=int(os.environ.get("FAULTS_PORT_BASE") or DEFAULT_PORT_BASE),
        help="first of the 13 loopback ports the layout takes (default 9100, or FAULTS_PORT_BASE)",
    )
    args = parser.parse_args()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)

    report = Report()
    started = time.monotonic()
    stack = Stack(Path(args.logs), args.port_base)
    try:
        print(
            f"Starting PostgreSQL, Redis, S3, three app servers, two task workers and nginx on ports "
            f"{args.port_base} to {args.port_base + 12} (logs in {args.logs})",
            flush=True,
        )
        stack.start()
        context = seed(stack, args.quick)
        print(f"Layout up in {time.monotonic() - started:.0f} s", flush=True)
        for name in args.only or PHASES:
            print(f"== {name}", flush=True)
            PHASES[name](context, report)
    except Exception as exc:
        traceback.print_exc()
        report.check(
            "suite", "the layout stood up and every phase ran", False, f"{type(exc).__name__}: {exc}"
        )
    finally:
        stack.stop()
    report.figure(
        "suite", "wall time", f"{time.monotonic() - started:.0f} s" + (" (quick)" if args.quick else "")
    )
    print()
    print(report.table())
    if report.failed:
        print(f"\n{len(report.failed)} check(s) failed.", file=sys.stderr)
        return 1
    print("\nEvery check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
