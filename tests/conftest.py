"""Fixtures shared by the whole suite: users, keys and a client that signs every request."""

import uuid

import pytest
from rest_framework.test import APIClient

from desk.tickets.filter_counts import _seen
from desk.users.models import Customer
from tests.factories import make_customer, make_staff
from tests.redis_server import PrivateRedis
from wsse_auth.client import make_header
from wsse_auth.nonce_store import _store_for

STAFF_PREFIX = "/api/rest/latest/desk"
CUSTOMER_PREFIX = "/api/diamante/rest/latest/desk"


@pytest.fixture(autouse=True)
def _isolated_nonce_prefix(settings):
    """Each test gets its own Redis key space and store, as it gets its own database transaction."""
    settings.WSSE_NONCE_PREFIX = f"test:{uuid.uuid4().hex}:"
    settings.DESK_BUCKET_PREFIX = f"test:{uuid.uuid4().hex}:bucket:"
    # A store learns when Redis started on the clock of its first connection, which a test may freeze.
    _store_for.cache_clear()


@pytest.fixture(autouse=True)
def _no_chance_nonce_purge(settings):
    """The nonce store's occasional purge is one query more at random; query counts must not depend on it."""
    settings.WSSE_NONCE_PURGE_ONE_IN = 0


@pytest.fixture(autouse=True)
def _no_remembered_filter_counts():
    """Which filter counts are kept lives in each test's database, so what a process remembers of it is reset."""
    _seen.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made per test and rarely log in with a password; hashing it slowly buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Files written by a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


class SignedClient(APIClient):
    """A DRF test client that signs every request with a fresh WSSE nonce."""

    def __init__(self, username=None, api_key=None, prefix=STAFF_PREFIX, **kwargs):
        super().__init__(**kwargs)
        self.username = username
        self.api_key = api_key
        self.prefix = prefix

    def url(self, path):
        """The mount prefix plus a path such as `branches/1`."""
        return f"{self.prefix}/{path.lstrip('/')}"

    def generic(self, method, path, data="", content_type="application/octet-stream", secure=False, **extra):
        if self.username and "HTTP_X_WSSE" not in extra:
            extra["HTTP_X_WSSE"] = make_header(self.username, self.api_key)
        if not path.startswith("/"):
            path = self.url(path)
        return super().generic(method, path, data, content_type, secure=secure, **extra)


def client_for(principal):
    """A signed client for a staff user (staff mount) or a customer (customer mount)."""
    api_key = principal.api_keys.first().key
    if isinstance(principal, Customer):
        return SignedClient(principal.email, api_key, prefix=CUSTOMER_PREFIX)
    return SignedClient(principal.username, api_key)


@pytest.fixture
def admin_user(db):
    return make_staff()


@pytest.fixture
def api(admin_user):
    """A client signed as a staff superuser on the staff mount."""
    return client_for(admin_user)


@pytest.fixture
def customer(db):
    return make_customer()


@pytest.fixture
def customer_api(customer):
    """A client signed as a customer on the customer mount."""
    return client_for(customer)


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server, stopped at the end of the test."""
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()
