"""Slow and short request bodies against each gunicorn worker class: does the server still answer?

Usage: .venv/bin/python bench/slow_clients.py [--workers sync gthread asgi] [--timeout 10]
Starts gunicorn on a loopback port with a throwaway SQLite database for each worker class, then:
  headers   8 connections that send half a request line and headers, then nothing: is /healthz answered?
  bodies    8 requests whose body stops short of Content-Length: is /healthz answered?
  short     one body shorter than its Content-Length, then silence: what comes back, and when?
  rate      signed GET branches, one connection at a time for 3 s (measured first): requests per second.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wsse_auth.client import make_header  # noqa: E402

PYTHON = sys.executable
APPS = {"asgi": "diamantedesk.asgi:application"}
SLOW = 8


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port, timeout=5.0):
    """Seconds /healthz took to answer 200, or None when it did not within the timeout."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
    except OSError:
        return None
    return time.monotonic() - started if ok else None


def hold(port, payload):
    """A connection that sent `payload` and then stays silent."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(payload)
    return sock


def short_body(port, wait, username, key):
    """(seconds, status line, content type) for a signed body 14 bytes short of its Content-Length."""
    sock = hold(
        port,
        b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"X-WSSE: {make_header(username, key)}\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: 30\r\n\r\n"
        + b'{"name": "Short"',
    )
    sock.settimeout(wait)
    started = time.monotonic()
    try:
        answer = sock.recv(4096)
    except TimeoutError:
        answer = b""
    finally:
        sock.close()
    elapsed = time.monotonic() - started
    if not answer:
        return elapsed, "no answer", ""
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    kind = next(
        (line.split(":", 1)[1].strip() for line in head if line.lower().startswith("content-type")), ""
    )
    return elapsed, head[0], kind


def rate(port, username, key, seconds=3.0):
    deadline, count = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/rest/latest/desk/branches", headers={"X-WSSE": make_header(username, key)})
        assert conn.getresponse().status == 200
        conn.close()
        count += 1
    return count / seconds


def measure(variant, timeout):
    worker, _, threads = variant.partition(":")
    var = tempfile.mkdtemp(prefix=f"desk-slow-{worker}-")
    env = {**os.environ, "DESK_VAR_DIR": var, "GUNICORN_TIMEOUT": str(timeout), "WEB_CONCURRENCY": "2"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    make_key = (
        "from desk.users.models import User; from wsse_auth.models import ApiKey; "
        "u = User.objects.create_superuser('bench', 'bench@example.com', 'x'); "
        "print(ApiKey.objects.create(user=u).key)"
    )
    key = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", make_key],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", APPS.get(worker, "diamantedesk.wsgi:application")]
    command += ["-c", "python:diamantedesk.gunicorn_conf"]
    command += ["--bind", f"127.0.0.1:{port}", "--worker-class", worker, "--log-level", "error"]
    command += ["--threads", threads] if threads else []
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            if healthz(port, 0.5) is not None:
                break
            time.sleep(0.1)
        # First, while nothing has stalled a worker yet.
        per_second = rate(port, "bench", key)
        held = [
            hold(port, b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127.") for _ in range(SLOW)
        ]
        headers = healthz(port)
        for sock in held:
            sock.close()
        time.sleep(0.5)
        partial = (
            b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        held = [hold(port, partial) for _ in range(SLOW)]
        bodies = healthz(port)
        for sock in held:
            sock.close()
        time.sleep(0.5)
        short = short_body(port, timeout + 5, "bench", key)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return headers, bodies, short, per_second


def shown(seconds):
    return "no answer in 5 s" if seconds is None else f"{seconds * 1000:.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", nargs="+", default=["sync", "gthread:8", "asgi"], help="class[:threads]")
    parser.add_argument("--timeout", type=int, default=10, help="GUNICORN_TIMEOUT for the runs")
    args = parser.parse_args()
    print(
        f"{'worker':9} | {'8 slow headers':17} | {'8 short bodies':17} | {'one short body':52} | signed GET/s"
    )
    for worker in args.workers:
        headers, bodies, (seconds, status, kind), per_second = measure(worker, args.timeout)
        short = f"{status} {kind} after {seconds:.1f} s"
        print(f"{worker:9} | {shown(headers):17} | {shown(bodies):17} | {short:52} | {per_second:.0f}")


if __name__ == "__main__":
    main()
