"""WSSE authentication through the real request path: client vectors, replay, clock, secrecy."""

import base64
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import STAFF_PREFIX
from tests.factories import make_customer, make_staff
from wsse_auth.client import make_header
from wsse_auth.models import ApiKey
from wsse_auth.tokens import compute_digest

VECTOR_KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
FROZEN = datetime(2026, 11, 29, 5, 6, 20, tzinfo=UTC)
GENERIC = "The WSSE authentication failed."
URL = f"{STAFF_PREFIX}/branches"

# Produced by real clients (see the shared WSSE client vectors) for user "admin" with VECTOR_KEY.
ACCEPTED = {
    "npm-wsse-base64": 'UsernameToken Username="admin", PasswordDigest="pCeP3Q8izd5h3to4quYtDwsjdlE=", '
    'Nonce="YjYzZjg3MjY1YzA0NWUwOTI1NTI=", Created="2026-11-29T05:06:14.793Z"',
    "php-diamantedesk-cli": 'UsernameToken Username="admin", PasswordDigest="yLMYroGyjybKqMWqGgbGKqSgkD8=", '
    'Nonce="OGNlODZhMjY5ZGQ2MDRiOA==", Created="2026-11-29T05:06:14+00:00"',
    "php-sfwsse-hexnonce": 'UsernameToken Username="admin", PasswordDigest="Atz4USR0NtIDkf0KqdQKjpeSsSw=", '
    'Nonce="5ebb6799b97f285b85b2154589c11fc163382807", Created="2026-11-29T05:06:14+0000"',
    "php-magento-extension": 'UsernameToken Username="admin", PasswordDigest="GRH86TONq9dzvzZeoV87id6lMoc=", '
    'Nonce="WmppTktJUmc2QQ==", Created="2026-11-29T05:06:14+0000"',
    "pywsse-sha1": 'Username="admin", PasswordDigest="6g9sc7WV/KYhRifqRHdgUy6ATVY=", Nonce="b3F5bXBuY2FLaGF3VVlu'
    'VUhWTklhSWxmV0tOVUpORFpUVkV5anBFTkVpZ2FZcFhLY2pwd0lQWFp4VkFnS3JSTA==", Created="2026-11-29T05:06:14Z"',
    "wsseheaders": 'UsernameToken Username="admin", PasswordDigest="iuwkGH/Xireg0apFRULqYrfyepk=", '
    'Nonce="+HRSga8sullNuJHnaqaXyQ==", Created="2026-11-29T05:06:14+00:00", Organization="acme"',
}
NPM_DEFAULT = (
    'UsernameToken Username="admin", PasswordDigest="GpUYtpXBYUDkLg2vzEmjdBhXMRs=", '
    'Nonce="286fd93f19d395fee29d", Created="2026-11-29T05:06:14.795Z"'
)


@pytest.fixture
def frozen(monkeypatch):
    """The clock at the moment the client vectors were made."""
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)


@pytest.fixture
def vector_admin(db):
    user = make_staff("admin")
    ApiKey.objects.filter(user=user).update(key=VECTOR_KEY)
    return user


def get(client, header, url=URL, **extra):
    return client.get(url, HTTP_X_WSSE=header, **extra)


def header_at(created, nonce=b"fixed-nonce-0001", username="admin", key=VECTOR_KEY):
    return make_header(username, key, nonce=nonce, created=created)


def assert_refused(response, message):
    assert response.status_code == 401, response.content
    assert response.json() == {"error": message}
    assert response["WWW-Authenticate"] == 'WSSE realm="Secured API", profile="UsernameToken"'


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_real_client_headers_are_accepted(client, frozen, vector_admin, name):
    response = get(client, ACCEPTED[name], HTTP_AUTHORIZATION='WSSE profile="UsernameToken"')
    assert response.status_code == 200, response.content


def test_npm_default_digest_over_nonce_text_is_refused(client, frozen, vector_admin):
    assert_refused(get(client, NPM_DEFAULT), GENERIC)


def test_golden_vector_digest():
    nonce = base64.b64decode("MDEyMzQ1Njc4OWFiY2RlZg==")
    assert compute_digest(nonce, "2023-11-14T22:13:20+0000", VECTOR_KEY) == "SEdFhDXItRPuumDeJPBOR8eykBk="


def test_replay_is_refused(client, frozen, vector_admin):
    header = ACCEPTED["php-magento-extension"]
    assert get(client, header).status_code == 200
    assert_refused(get(client, header), "Previously used nonce detected.")


def test_repadded_nonce_is_the_same_nonce(client, frozen, vector_admin):
    created = "2026-11-29T05:06:14+0000"
    nonce = b"\x01\x02\x03\x04\x05"
    padded = base64.b64encode(nonce).decode()
    digest = compute_digest(nonce, created, VECTOR_KEY)
    first = (
        f'UsernameToken Username="admin", PasswordDigest="{digest}", Nonce="{padded}", Created="{created}"'
    )
    assert get(client, first).status_code == 200
    for variant in (padded.rstrip("="), padded.rstrip("=") + "=", " " + padded + "\t"):
        replay = first.replace(f'Nonce="{padded}"', f'Nonce="{variant}"')
        assert_refused(get(client, replay), "Previously used nonce detected.")


def test_nonce_is_recorded_only_after_the_digest_checks_out(client, frozen, vector_admin):
    header = ACCEPTED["wsseheaders"]
    tampered = header.replace('PasswordDigest="iuwk', 'PasswordDigest="AAAA')
    assert_refused(get(client, tampered), GENERIC)
    assert get(client, header).status_code == 200


def test_expired_and_future_tokens(client, frozen, vector_admin):
    assert_refused(get(client, header_at("2026-11-29T05:01:19+0000")), "Token has expired.")
    assert get(client, header_at("2026-11-29T05:01:21+0000", nonce=b"n-2")).status_code == 200
    assert_refused(get(client, header_at("2026-11-29T05:11:21+0000", nonce=b"n-3")), "Future token detected.")
    assert get(client, header_at("2026-11-29T05:11:19+0000", nonce=b"n-4")).status_code == 200
    # Other offsets count: 07:06 at +02:00 is 05:06 UTC.
    assert get(client, header_at("2026-11-29T07:06:14+02:00", nonce=b"n-5")).status_code == 200


def test_lifetime_and_skew_are_settings(client, frozen, vector_admin, settings):
    settings.WSSE_LIFETIME = 10
    settings.WSSE_SKEW = 0
    assert_refused(get(client, header_at("2026-11-29T05:06:09+0000")), "Token has expired.")
    assert_refused(get(client, header_at("2026-11-29T05:06:21+0000", nonce=b"n-6")), "Future token detected.")


@pytest.mark.parametrize(
    "created", ["yesterday", "2026-13-01T00:00:00Z", "29/11/2026 05:06:14", "1700000000"]
)
def test_unparseable_created(client, frozen, vector_admin, created):
    assert_refused(get(client, header_at(created)), 'Incorrectly formatted "created" in token.')


def test_wrong_key_and_unknown_user_look_the_same(client, frozen, vector_admin):
    wrong_key = get(client, header_at("2026-11-29T05:06:14+0000", key="f" * 40))
    unknown = get(client, header_at("2026-11-29T05:06:14+0000", nonce=b"n-7", username="mallory"))
    assert_refused(wrong_key, GENERIC)
    assert_refused(unknown, GENERIC)
    assert wrong_key.content == unknown.content


def refusal_work(client, header):
    """The SQL a refused request runs, with the username taken out, and how many model objects it builds."""
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert_refused(get(client, header), GENERIC)
    finally:
        post_init.disconnect(count)
    return [query["sql"].replace("'mallory'", "'admin'") for query in queries], built


def test_known_and_unknown_users_cost_the_same_database_work(client, frozen, vector_admin):
    # A second key, so that the known user has more rows than the unknown one has.
    ApiKey.objects.create(user=vector_admin)
    known_sql, known_built = refusal_work(client, header_at("2026-11-29T05:06:14+0000", key="f" * 40))
    unknown_sql, unknown_built = refusal_work(
        client, header_at("2026-11-29T05:06:14+0000", nonce=b"n-8", username="mallory")
    )
    assert known_sql == unknown_sql
    assert len(known_sql) == 1
    assert known_built == unknown_built == []


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        'UsernameToken Username="admin", Nonce="abc=", Created="2026-11-29T05:06:14Z"',
        'UsernameToken Username="admin", PasswordDigest="x", Nonce="", Created="2026-11-29T05:06:14Z"',
        'UsernameToken Username="admin", PasswordDigest="x", Nonce="!!!", Created="2026-11-29T05:06:14Z"',
    ],
)
def test_missing_or_malformed_header(client, frozen, vector_admin, header):
    response = client.get(URL) if header is None else get(client, header)
    assert_refused(response, GENERIC)


def test_staff_logs_in_with_email_and_customer_with_email(client, frozen, db):
    staff = make_staff("agent", email="Agent@Example.com")
    key = staff.api_keys.get().key
    assert (
        get(client, header_at("2026-11-29T05:06:14Z", username="agent@example.com", key=key)).status_code
        == 200
    )
    customer = make_customer("buyer@example.com")
    customer_key = customer.api_keys.get().key
    url = "/api/diamante/rest/v1/desk/branches"
    ok = get(client, header_at("2026-11-29T05:06:14Z", b"c-1", "buyer@example.com", customer_key), url=url)
    assert ok.status_code == 200


def test_revoked_and_inactive_are_refused(client, frozen, vector_admin):
    ApiKey.objects.update(revoked_at=FROZEN)
    assert_refused(get(client, header_at("2026-11-29T05:06:14Z")), GENERIC)
    ApiKey.objects.update(revoked_at=None)
    vector_admin.is_active = False
    vector_admin.save()
    assert_refused(get(client, header_at("2026-11-29T05:06:14Z", nonce=b"n-8")), GENERIC)


def test_several_keys_each_work_and_last_use_is_recorded(client, frozen, vector_admin):
    second = ApiKey.objects.create(user=vector_admin)
    assert get(client, header_at("2026-11-29T05:06:14Z", key=second.key)).status_code == 200
    assert get(client, header_at("2026-11-29T05:06:14Z", nonce=b"n-9")).status_code == 200
    assert ApiKey.objects.get(pk=second.pk).last_used_at == FROZEN


def _run_in_another_process(header):
    """Send the header from a separate Python process that shares only the database and Redis."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WSSE_NONCE_PREFIX": settings.WSSE_NONCE_PREFIX,
        "DJANGO_SETTINGS_MODULE": "diamantedesk.settings",
    }
    script = (
        "import django, json, sys; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        f"r = Client().get({URL!r}, HTTP_X_WSSE=sys.argv[1]);"
        "print(json.dumps([r.status_code, r.content.decode()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, header], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    status, body = json.loads(done.stdout.strip().splitlines()[-1])
    return status, json.loads(body)


@pytest.mark.django_db(transaction=True)
def test_replay_is_refused_across_processes(client):
    user = make_staff("admin")
    key = user.api_keys.get().key
    now = datetime.now(UTC)
    first = make_header("admin", key, nonce=os.urandom(16), created=now.strftime("%Y-%m-%dT%H:%M:%S+0000"))
    assert client.get(URL, HTTP_X_WSSE=first).status_code == 200
    status, body = _run_in_another_process(first)
    assert (status, body) == (401, {"error": "Previously used nonce detected."})

    second = make_header("admin", key, nonce=os.urandom(16), created=(now + timedelta(seconds=1)).isoformat())
    status, _ = _run_in_another_process(second)
    assert status == 200
    assert_refused(client.get(URL, HTTP_X_WSSE=second), "Previously used nonce detected.")
