"""Liveness and readiness probes: no authentication, no database for liveness, named failing checks."""

import pytest
from django.db import connection

from wsse_auth.models import Nonce


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query would raise, so this proves liveness never needs the database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_healthz_answers_head(client):
    assert client.head("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_refuse_writes_with_json_405(client, path):
    response = client.post(path, {"x": "1"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"error": 'Method "POST" not allowed.'}


@pytest.mark.django_db
def test_readyz_reports_every_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ready"
    assert response.json()["checks"] == {"database": "ok", "nonce_store": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("store", "url", "named"),
    [
        ("database", "", "database"),
        ("redis", "redis://:secret@10.1.2.3:6379/4", "redis 0c84a97156ee"),
        ("redis", "redis://10.1.2.3:6379/4", "redis 0c84a97156ee"),
    ],
)
def test_readyz_names_the_nonce_store_without_its_address(client, settings, store, url, named):
    settings.WSSE_NONCE_STORE, settings.REDIS_URL = store, url
    body = client.get("/readyz").json()
    assert body["nonce_store"] == named
    assert "10.1.2.3" not in str(body) and "secret" not in str(body)


@pytest.mark.django_db
def test_readyz_is_503_when_redis_is_unreachable(client, settings, caplog):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    settings.WSSE_NONCE_STORE, settings.REDIS_URL = "redis", "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"] == {"database": "ok", "nonce_store": "failed"}
    # The reason goes to the operator's log, not to an unauthenticated caller.
    assert b"127.0.0.1" not in response.content
    assert "Readiness check nonce_store failed" in caplog.text


@pytest.mark.django_db
def test_readyz_is_503_when_the_nonce_table_is_missing(client, settings):
    settings.WSSE_NONCE_STORE, settings.REDIS_URL = "database", ""
    with connection.cursor() as cursor:
        # Inside the test's transaction, so the table comes back when the test ends.
        cursor.execute(f"DROP TABLE {Nonce._meta.db_table}")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "nonce_store": "failed"}


def test_probes_need_no_wsse_header(client, db):
    for path in ("/healthz", "/readyz", "/metrics"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "WWW-Authenticate" not in response
