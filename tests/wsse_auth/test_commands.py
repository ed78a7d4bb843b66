"""The documented credential commands: generate_api_key, wsse_header, purge_nonces."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from desk.users.models import Customer, User
from tests.conftest import STAFF_PREFIX
from tests.factories import stored_key
from wsse_auth.models import ApiKey, Nonce

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_generate_api_key_prints_the_key_last():
    user = User.objects.create_user("agent", "agent@example.com", "pw")
    lines = run("generate_api_key", "agent")
    key = lines[-1]
    assert len(key) == 40 and key == key.lower() and int(key, 16) >= 0
    assert ApiKey.objects.get(user=user).key == key
    by_email = run("generate_api_key", "AGENT@example.com")[-1]
    assert by_email != key
    assert ApiKey.objects.filter(user=user).count() == 2


def test_generate_api_key_for_customer():
    customer = Customer.objects.create(email="buyer@example.com", first_name="B", last_name="Uyer")
    key = run("generate_api_key", "--customer", "buyer@example.com")[-1]
    assert ApiKey.objects.get(customer=customer).key == key


def test_unknown_identifier_fails_clearly():
    with pytest.raises(CommandError, match="No staff user"):
        run("generate_api_key", "ghost")
    with pytest.raises(CommandError, match="No customer"):
        run("generate_api_key", "--customer", "ghost@example.com")


def test_wsse_header_signs_a_working_request(client):
    User.objects.create_user("agent", "agent@example.com", "pw", is_superuser=True)
    run("generate_api_key", "agent")
    line = run("wsse_header", "agent")[-1]
    name, _, value = line.partition(": ")
    assert name == "X-WSSE"
    assert client.get(f"{STAFF_PREFIX}/branches", HTTP_X_WSSE=value).status_code == 200


def test_wsse_header_uses_newest_active_key_and_needs_one(client):
    customer = Customer.objects.create(email="buyer@example.com", first_name="B", last_name="Uyer")
    with pytest.raises(CommandError, match="no active API key"):
        run("wsse_header", "--customer", "buyer@example.com")
    run("generate_api_key", "--customer", "buyer@example.com")
    ApiKey.objects.filter(customer=customer).update(revoked_at=timezone.now())
    newest = run("generate_api_key", "--customer", "buyer@example.com")[-1]
    value = run("wsse_header", "--customer", "buyer@example.com")[-1].partition(": ")[2]
    assert 'Username="buyer@example.com"' in value
    response = client.get("/api/diamante/rest/latest/desk/branches", HTTP_X_WSSE=value)
    assert response.status_code == 200
    assert stored_key(newest).last_used_at is not None


def test_purge_nonces_deletes_only_expired():
    now = timezone.now()
    Nonce.objects.create(fingerprint="a" * 64, expires_at=now - timedelta(seconds=1))
    Nonce.objects.create(fingerprint="b" * 64, expires_at=now + timedelta(minutes=5))
    assert run("purge_nonces") == ["Deleted 1 expired nonces."]
    assert list(Nonce.objects.values_list("fingerprint", flat=True)) == ["b" * 64]


def test_signed_requests_purge_expired_nonces_in_passing(client, settings):
    settings.WSSE_NONCE_STORE = "database"  # the Redis store expires nonces by itself
    settings.WSSE_NONCE_PURGE_ONE_IN = 1
    Nonce.objects.create(fingerprint="c" * 64, expires_at=timezone.now() - timedelta(seconds=1))
    User.objects.create_user("agent", "agent@example.com", "pw", is_superuser=True)
    run("generate_api_key", "agent")
    value = run("wsse_header", "agent")[-1].partition(": ")[2]
    assert client.get(f"{STAFF_PREFIX}/branches", HTTP_X_WSSE=value).status_code == 200
    assert not Nonce.objects.filter(fingerprint="c" * 64).exists()
    assert Nonce.objects.count() == 1
