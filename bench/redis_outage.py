"""How long the Redis nonce store makes a request wait while Redis is up, stopped or frozen.

Usage: .venv/bin/python bench/redis_outage.py
Starts a private redis-server on a free loopback port (no persistence), then times the store's
remember() with the default WSSE_REDIS_TIMEOUT and WSSE_REDIS_PAUSE: while Redis answers, after
it is stopped, after it is frozen with SIGSTOP, and once it is back. After the first failed call the
store's own thread looks for Redis; no later call should wait for it.
"""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def start_redis(port, directory):
    command = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", directory]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def main():
    os.environ["DESK_VAR_DIR"] = tempfile.mkdtemp(prefix="desk-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from wsse_auth.nonce_store import NonceStoreUnavailable, RedisNonceStore

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    directory = tempfile.mkdtemp(prefix="desk-redis-")
    redis = start_redis(port, directory)
    time.sleep(1.1)  # Redis reports its start to the second
    store = RedisNonceStore(f"redis://127.0.0.1:{port}/0")

    def timed():
        started = time.perf_counter()
        try:
            store.remember(uuid.uuid4().hex, 600, timezone.now())
            outcome = "stored"
        except NonceStoreUnavailable:
            outcome = "503"
        return (time.perf_counter() - started) * 1000, outcome

    def report(label, samples):
        times = [ms for ms, _ in samples]
        outcomes = sorted({outcome for _, outcome in samples})
        print(
            f"{label:44} {len(samples):5} calls  median {statistics.median(times):7.2f} ms  "
            f"max {max(times):7.2f} ms  {'/'.join(outcomes)}"
        )

    print(
        f"WSSE_REDIS_TIMEOUT={settings.WSSE_REDIS_TIMEOUT} s, WSSE_REDIS_PAUSE={settings.WSSE_REDIS_PAUSE} s"
    )
    try:
        report("Redis up", [timed() for _ in range(2000)])
        redis.terminate()
        redis.wait()
        report("stopped: first call", [timed()])
        report("stopped: calls after the first", [timed() for _ in range(1000)])
        redis = start_redis(port, directory)
        time.sleep(settings.WSSE_REDIS_PAUSE + 1.1)
        report("restarted, after the pause", [timed() for _ in range(200)])
        os.kill(redis.pid, signal.SIGSTOP)
        report("frozen: first call", [timed()])
        report("frozen: calls after the first", [timed() for _ in range(1000)])
        time.sleep(settings.WSSE_REDIS_PAUSE)
        report("frozen: a call a pause later", [timed()])
        os.kill(redis.pid, signal.SIGCONT)
        time.sleep(settings.WSSE_REDIS_PAUSE)
        report("thawed, after the pause", [timed() for _ in range(200)])
    finally:
        os.kill(redis.pid, signal.SIGCONT)
        redis.terminate()
        redis.wait()


if __name__ == "__main__":
    main()
