"""The server as `make run` starts it: stalled clients do not stop it, workers are recycled, leave no files."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diamantedesk import gunicorn_conf
from diamantedesk.asgi import INCOMPLETE_BODY

ROOT = Path(__file__).resolve().parent.parent.parent
STALLED = 8


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port):
    """The status of GET /healthz, waiting at most 10 s for it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def server(tmp_path):
    """gunicorn with the project's configuration and one worker on a free loopback port."""
    port = free_port()
    env = {**os.environ, "DESK_VAR_DIR": str(tmp_path), "WEB_CONCURRENCY": "1", "GUNICORN_TIMEOUT": "2"}
    command = [sys.executable, "-m", "gunicorn", "diamantedesk.asgi:application"]
    command += ["-c", "python:diamantedesk.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):
            try:
                if healthz(port) == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def stalled(port, payload):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(payload)
    return sock


def test_stalled_clients_do_not_stop_the_one_worker_answering(server):
    server, _ = server
    half_headers = b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127."
    half_body = (
        b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    held = [stalled(server, payload) for payload in [half_headers, half_body] for _ in range(STALLED)]
    try:
        assert healthz(server) == 200
    finally:
        for sock in held:
            sock.close()


def test_a_body_shorter_than_its_length_is_a_json_400_once_the_wait_runs_out(server):
    server, _ = server
    sock = stalled(
        server,
        b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 30\r\n\r\n{",
    )
    sock.settimeout(20)
    with sock:
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 400
        assert response.getheader("Content-Type") == "application/json"
        assert json.loads(response.read()) == {"error": INCOMPLETE_BODY}


def test_workers_are_recycled_at_staggered_counts():
    assert gunicorn_conf.worker_class == "asgi"
    assert gunicorn_conf.max_requests > 0
    assert 0 < gunicorn_conf.max_requests_jitter < gunicorn_conf.max_requests


def test_an_expect_100_continue_body_is_invited_at_once(server):
    """PHP's curl waits a second for `100 Continue` before an upload; the server sends it straight away."""
    server, _ = server
    body = b'{"name": "' + b"x" * 2000 + b'"}'
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        head = (
            b"POST /api/rest/latest/desk/branches HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        )
        sock.sendall(head)
        sock.settimeout(0.5)  # well under curl's one-second wait
        assert sock.recv(64).startswith(b"HTTP/1.1 100 Continue")
        sock.settimeout(5)
        sock.sendall(body)
        # Unsigned: the body was read and the request answered in the API's shape.
        assert sock.recv(65536).startswith(b"HTTP/1.1 401")


def worker_pids(server_pid):
    """The pids of the gunicorn workers under the server process."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_killed_worker_leaves_no_upload_temporary_file(server, tmp_path):
    port, process = server
    (worker,) = worker_pids(process.pid)
    uploads = tmp_path / "uploads" / str(worker)
    assert uploads.is_dir()
    # What Django leaves there when the worker dies halfway through a large upload.
    (uploads / "tmpabc123.upload.png").write_bytes(b"x" * 1000)
    os.kill(worker, signal.SIGKILL)
    for _ in range(300):
        replacements = [pid for pid in worker_pids(process.pid) if pid != worker]
        if replacements and (tmp_path / "uploads" / str(replacements[0])).is_dir():
            break
        time.sleep(0.1)
    else:
        pytest.fail("no new worker started")
    assert healthz(port) == 200
    assert not uploads.exists()
