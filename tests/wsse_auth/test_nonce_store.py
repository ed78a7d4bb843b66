"""The Redis nonce store against a private redis-server this test starts, stops, freezes and restarts."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from desk.api.errors import RETRY_AFTER_SECONDS
from tests.factories import make_staff
from tests.redis_server import REDIS_SERVER
from wsse_auth.authentication import NONCE_STORE_DOWN
from wsse_auth.client import make_header
from wsse_auth.nonce_store import NonceStoreUnavailable, RedisNonceStore, _store_for

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")


def soon():
    """A Created a little ahead of the clock (within the skew), so it is later than any Redis start so far."""
    return timezone.now() + timedelta(seconds=1.5)


def test_a_nonce_is_remembered_once(redis_server):
    store, created = RedisNonceStore(redis_server.url), soon()
    assert store.remember("a" * 40, 600, created) is True
    assert store.remember("a" * 40, 600, created) is False


def test_a_restart_without_persistence_does_not_reopen_replays(redis_server):
    store, created = RedisNonceStore(redis_server.url), soon()
    assert store.remember("b" * 40, 600, created) is True
    # Redis knows its start to the second: restart it once the token's Created is a second past.
    time.sleep(max(0.0, (created - timezone.now()).total_seconds()) + 1.1)
    redis_server.stop()
    redis_server.start()
    # The nonce is gone from the restarted Redis; the token, made before it started, is refused all the same,
    # and so is any other token made before the restart.
    assert store.remember("b" * 40, 600, created) is False
    assert store.remember("c" * 40, 600, created) is False
    made_after = soon()
    assert store.remember("d" * 40, 600, made_after) is True
    assert store.remember("d" * 40, 600, made_after) is False


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_an_outage_is_unavailable_then_recovers_without_a_restart(redis_server, settings, fault):
    settings.WSSE_REDIS_TIMEOUT, settings.WSSE_REDIS_PAUSE = 0.2, 0.0
    store = RedisNonceStore(redis_server.url)
    assert store.remember("f" * 40, 600, soon()) is True
    if fault == "stopped":
        redis_server.stop()
    else:
        redis_server.freeze()
    with pytest.raises(NonceStoreUnavailable):
        store.remember("g" * 40, 600, soon())
    if fault == "stopped":
        redis_server.start()
    else:
        redis_server.freeze(False)
    # The store's probe finds Redis back by itself; a frozen Redis may still carry out the command it
    # was sent, so the next nonce is another one.
    assert remember_once_back(store, "i" * 40) is True


def remember_once_back(store, fingerprint, within=2.0):
    """`remember` as soon as the store has found Redis answering again, at most `within` seconds on."""
    deadline = time.monotonic() + within
    while True:
        try:
            return store.remember(fingerprint, 600, soon())
        except NonceStoreUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_while_redis_does_not_answer_only_the_first_request_waits(redis_server, settings):
    settings.WSSE_REDIS_TIMEOUT, settings.WSSE_REDIS_PAUSE = 0.2, 0.3
    store = RedisNonceStore(redis_server.url)
    assert store.remember("j" * 40, 600, soon()) is True
    redis_server.freeze()
    try:
        with pytest.raises(NonceStoreUnavailable):
            store.remember("k" * 40, 600, soon())
        # Several pauses long: the probe keeps trying in its own thread, no request waits for it. Before,
        # the first request after each pause made the attempt itself and waited out the timeout.
        waits = []
        until = time.monotonic() + 1.5
        while time.monotonic() < until:
            started = time.monotonic()
            with pytest.raises(NonceStoreUnavailable):
                store.remember("l" * 40, 600, soon())
            waits.append(time.monotonic() - started)
            time.sleep(0.01)
        assert max(waits) < 0.05, max(waits)
    finally:
        redis_server.freeze(False)
    assert remember_once_back(store, "m" * 40) is True


def test_after_a_failure_the_store_answers_at_once_for_a_moment(redis_server, settings):
    settings.WSSE_REDIS_TIMEOUT, settings.WSSE_REDIS_PAUSE = 0.2, 3600
    store = RedisNonceStore(redis_server.url)
    redis_server.stop()
    with pytest.raises(NonceStoreUnavailable):
        store.remember("h" * 40, 600, timezone.now())
    redis_server.start()
    # Within the pause nothing is sent to Redis at all, so a frozen one costs a request nothing.
    with pytest.raises(NonceStoreUnavailable, match="a moment ago"):
        store.remember("h" * 40, 600, timezone.now())


@pytest.mark.django_db
def test_an_outage_is_a_503_with_retry_after_and_auth_stays_closed(redis_server, settings, client):
    settings.WSSE_REDIS_TIMEOUT, settings.WSSE_REDIS_PAUSE = 0.2, 0.0
    settings.WSSE_NONCE_STORE, settings.REDIS_URL = "redis", redis_server.url
    _store_for.cache_clear()
    user = make_staff("admin")
    key = user.api_keys.get().key
    url = "/api/rest/latest/desk/branches"
    try:
        assert client.get(url, HTTP_X_WSSE=make_header("admin", key)).status_code == 200
        redis_server.stop()
        down = client.get(url, HTTP_X_WSSE=make_header("admin", key))
        assert down.status_code == 503
        assert down["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert down.json() == {"error": NONCE_STORE_DOWN}
        # A wrong key is still refused as before: the store is asked only about signatures that check out.
        assert client.get(url, HTTP_X_WSSE=make_header("admin", "f" * 40)).status_code == 401
        redis_server.start()
        assert remember_once_back(_store_for("redis", redis_server.url), "n" * 40) is True
        assert client.get(url, HTTP_X_WSSE=make_header("admin", key)).status_code == 200
    finally:
        _store_for.cache_clear()
