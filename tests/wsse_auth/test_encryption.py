"""API keys at rest: encrypted in every row, readable only with the configured keys, rotated by a command."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from desk.importer.writer import BulkWriter
from tests.conftest import client_for
from tests.factories import make_customer, make_staff
from wsse_auth import encryption
from wsse_auth.encryption import check_encryption_keys
from wsse_auth.models import ApiKey


@pytest.fixture(autouse=True)
def _fresh_cache():
    encryption.decrypt.cache_clear()
    yield
    encryption.decrypt.cache_clear()


def stored():
    """The key column as a database dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT id, "key" FROM wsse_auth_apikey ORDER BY id')
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_no_row_holds_a_key_in_the_clear(admin_user):
    customer = make_customer()
    keys = {api_key.pk: api_key.key for api_key in ApiKey.objects.all()}
    dump = stored()
    assert set(dump) == set(keys) and len(keys) == 2
    for pk, key in keys.items():
        assert key not in dump[pk] and len(key) == 40
        assert ApiKey.objects.get(pk=pk).key == key
    ApiKey.objects.filter(customer=customer).update(key=keys[admin_user.api_keys.get().pk])
    assert len(set(stored().values())) == 2, "one key stored twice reads differently each time"


@pytest.mark.django_db
def test_the_importers_bulk_writes_are_encrypted_too(admin_user):
    writer = BulkWriter(ApiKey, ["key", "user_id", "customer_id", "label"])
    writer.add("imported-secret-0123456789", admin_user.pk, None, "imported")
    writer.flush()
    row = ApiKey.objects.get(label="imported")
    assert row.key == "imported-secret-0123456789"
    assert "imported-secret" not in stored()[row.pk]


@pytest.mark.django_db
def test_rotation_moves_every_key_to_the_new_encryption_key(settings, admin_user):
    api_key = admin_user.api_keys.get().key
    old = settings.DESK_KEY_ENCRYPTION_KEY
    settings.DESK_KEY_ENCRYPTION_KEY, settings.DESK_KEY_ENCRYPTION_OLD_KEYS = (
        Fernet.generate_key().decode(),
        [old],
    )
    assert client_for(admin_user).get("branches").status_code == 200, "old keys still decrypt"
    call_command("rotate_key_encryption", stdout=open("/dev/null", "w"))
    settings.DESK_KEY_ENCRYPTION_OLD_KEYS = []
    encryption.decrypt.cache_clear()
    assert (
        Fernet(settings.DESK_KEY_ENCRYPTION_KEY).decrypt(next(iter(stored().values())).encode()).decode()
        == api_key
    )
    assert client_for(admin_user).get("branches").status_code == 200


@pytest.mark.django_db
def test_without_the_encryption_key_keys_sign_nothing_and_nothing_breaks(settings, admin_user, caplog):
    client = client_for(admin_user)  # reads the key while the configuration is right
    settings.DESK_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    encryption.decrypt.cache_clear()  # as a process started with this configuration would be
    with caplog.at_level(logging.ERROR, logger="wsse_auth"):
        response = client.get("branches")
    assert response.status_code == 401
    assert "An API key cannot be decrypted" in caplog.text
    assert admin_user.api_keys.get().key not in caplog.text


def test_a_malformed_encryption_key_fails_the_system_check(settings):
    settings.DESK_KEY_ENCRYPTION_KEY = "not-a-fernet-key"
    assert [error.id for error in check_encryption_keys(None)] == ["wsse_auth.E001"]
    settings.DESK_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    assert check_encryption_keys(None) == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_keys_and_back(db):
    make_staff("agent")
    call_command("migrate", "wsse_auth", "0004", verbosity=0)
    plain = list(stored().values())
    assert len(plain[0]) == 40, "before encryption, keys were stored as they are"
    call_command("migrate", "wsse_auth", verbosity=0)
    assert list(stored().values()) != plain
    assert [api_key.key for api_key in ApiKey.objects.all()] == plain
