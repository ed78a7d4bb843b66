"""A worker killed after its write committed and before it answered: the retry gets the answer, once."""

import http.client
import json
import os
import subprocess
import sys
import time

import pytest

from tests.ops.test_gunicorn import ROOT, free_port, healthz
from wsse_auth.client import make_header

SETUP = """
from desk.branches.models import Branch
from desk.users.models import User
from wsse_auth.models import ApiKey
user = User.objects.create_user("agent", "agent@example.com", "x", is_staff=True, is_superuser=True)
print(ApiKey.objects.create(user=user).key, Branch.objects.create(name="Support", key="SUP").pk)
"""
COUNT = "from desk.tickets.models import Ticket; print(Ticket.objects.count())"


@pytest.fixture
def environment(tmp_path):
    """One machine's deployment in a folder of its own: SQLite, the dying middleware."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DESK_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tests.ops.dying", WEB_CONCURRENCY="1")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def manage_shell(env, code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()  # after the shell's own banner


def post(port, key, body, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/rest/latest/desk/tickets",
            body=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "X-WSSE": make_header("agent", key),
                "Idempotency-Key": "create-once",
                **headers,
            },
        )
        response = conn.getresponse()
        # Header names as the server sent them, in lower case.
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_for(port):
    for _ in range(300):
        try:
            if healthz(port) == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer")


def test_a_retry_after_a_kill_past_the_commit_gets_the_answer_once(environment):
    api_key, branch = manage_shell(environment, SETUP)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "diamantedesk.asgi:application"]
    command += ["-c", "python:diamantedesk.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    body = {"branch": int(branch), "subject": "Once", "description": "Only once", "reporter": "oro_1"}
    body.update(status="open", priority="medium", source="phone")
    try:
        wait_for(port)
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            post(port, api_key, body, **{"X-Die-Before-Answering": "1"})
        assert manage_shell(environment, COUNT) == ["1"], "the write committed before the worker died"
        wait_for(port)  # the arbiter has started a new worker
        status, headers, content = post(port, api_key, body)
        assert status == 201
        assert headers["idempotency-replayed"] == "true"
        assert json.loads(content)["subject"] == "Once"
        assert headers["location"].endswith(f"/tickets/{json.loads(content)['id']}")
        assert manage_shell(environment, COUNT) == ["1"]
    finally:
        server.terminate()
        server.wait(timeout=30)
