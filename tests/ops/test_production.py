"""`DESK_PRODUCTION`: one switch for HTTPS redirects, HSTS, secure cookies and the proxy's headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Requests made inside a process started with the switch on, since settings are read once at start.
PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/admin/login/")
health = client.get("/healthz")
secure = client.get("/healthz", secure=True)
print(json.dumps({
    "debug": settings.DEBUG,
    "admin": [plain.status_code, plain.get("Location")],
    "healthz": health.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "proxy": [settings.SECURE_PROXY_SSL_HEADER, settings.USE_X_FORWARDED_HOST],
}))
"""


def run(tmp_path, *args, **env):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DESK_", "DJANGO_"))
    }
    environment.update(DESK_VAR_DIR=str(tmp_path), DJANGO_SECRET_KEY="s" * 10 + "x7Y!" * 12, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_the_deploy_check_passes_with_the_switch_and_only_with_it(tmp_path):
    on = run(tmp_path, "check", "--deploy", "--fail-level", "WARNING", DESK_PRODUCTION="true")
    assert on.returncode == 0, on.stdout + on.stderr
    off = run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert off.returncode != 0
    assert "security.W008" in off.stderr and "security.W004" in off.stderr


def test_the_switch_redirects_to_https_and_sends_hsts_but_probes_stay_plain(tmp_path):
    result = run(
        tmp_path,
        "shell",
        "-c",
        PROBE,
        DESK_PRODUCTION="true",
        DJANGO_DEBUG="true",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False, "DJANGO_DEBUG cannot turn debugging on in production"
    assert seen["admin"] == [301, "https://testserver/admin/login/"]
    assert seen["healthz"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["cookies"] == [True, True]
    assert seen["proxy"] == [["HTTP_X_FORWARDED_PROTO", "https"], True]
