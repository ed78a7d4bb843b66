"""The replay store: remembers used nonces in the database or in Redis, shared by every process."""

import hashlib
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from desk.core.redis_client import bounded_redis
from wsse_auth.models import Nonce

# So that a pause of 0 (the tests') does not make the probe a busy loop on a port that refuses at once.
MIN_PROBE_INTERVAL = 0.05


class NonceStoreUnavailable(Exception):
    """The store did not answer in time: no header can be checked for replay, so none is accepted."""


class DatabaseNonceStore:
    """Nonces as rows with a primary key on their fingerprint; the database settles races."""

    description = "database"

    def remember(self, fingerprint, ttl_seconds, created=None):
        """Record the nonce; False when it was already recorded and has not expired."""
        now = timezone.now()
        expires_at = now + timedelta(seconds=ttl_seconds)
        try:
            with transaction.atomic():
                Nonce.objects.create(fingerprint=fingerprint, expires_at=expires_at)
        except IntegrityError:
            # A row past its expiry no longer protects anything and may be taken over.
            taken = Nonce.objects.filter(fingerprint=fingerprint, expires_at__lt=now).update(
                expires_at=expires_at
            )
            return taken == 1
        # One request in WSSE_NONCE_PURGE_ONE_IN also deletes expired rows, so the table stays small
        # without a cron job (0 turns it off, for purge_nonces run on a schedule instead).
        one_in = settings.WSSE_NONCE_PURGE_ONE_IN
        if one_in and random.randrange(one_in) == 0:
            self.purge()
        return True

    def purge(self):
        """Delete expired nonces; returns how many."""
        deleted, _ = Nonce.objects.filter(expires_at__lt=timezone.now()).delete()
        return deleted

    def ping(self):
        """The nonce table can be read."""
        query = Nonce.objects.order_by().values_list("pk", flat=True)[:1]
        if connection.in_atomic_block:
            # A savepoint, so that a failed read leaves the enclosing transaction usable.
            with transaction.atomic():
                list(query)
        else:
            # No transaction of its own: on SQLite that would take the write lock for a mere read.
            list(query)


class RedisNonceStore:
    """Nonces as Redis keys set with NX and an expiry; Redis forgets them by itself."""

    # A Redis that restarts without its data has forgotten every nonce, so the store notes when the
    # server's memory began (now less its uptime, read on every new connection) and refuses tokens
    # created before that moment. Every call is bounded by short timeouts. After a failure the store
    # answers "unavailable" at once, without a call, until a thread of its own sees Redis answer again:
    # a request that waited on a Redis that does not answer held its worker's one application thread,
    # and every request queued behind it waited too (6.8 s answers under load, with 0.5 s timeouts).

    def __init__(self, url):
        import redis

        self.client = bounded_redis(url, redis_connect_func=self._on_connect)
        self.errors = (redis.ConnectionError, redis.TimeoutError)
        self.description = _describe(url)
        self.memory_since = datetime.min.replace(tzinfo=UTC)
        self._down = False
        self._lock = threading.Lock()
        self._prober = None

    def _on_connect(self, connection):
        """Finish the handshake, then read when this Redis started: nonces before it may be lost."""
        connection.on_connect()
        connection.send_command("INFO", "server")
        info = connection.read_response()
        info = info.decode() if isinstance(info, bytes) else str(info)
        uptime = next(
            int(line.split(":")[1]) for line in info.splitlines() if line.startswith("uptime_in_seconds:")
        )
        # On the clock Created is checked against; whole seconds of uptime put it at or after the start.
        started = timezone.now() - timedelta(seconds=uptime)
        self.memory_since = max(self.memory_since, started)

    def remember(self, fingerprint, ttl_seconds, created=None):
        """Record the nonce; False when it was already recorded, or may have been before Redis lost it."""
        if self._down:
            raise NonceStoreUnavailable("Redis failed a moment ago")
        key = settings.WSSE_NONCE_PREFIX + fingerprint
        try:
            fresh = bool(self.client.set(key, b"1", nx=True, ex=max(1, ttl_seconds)))
        except self.errors as exc:
            self._fail()
            raise NonceStoreUnavailable(str(exc)) from exc
        # Checked after the call, which may have reconnected to a restarted Redis and learnt its start.
        if created is not None and created < self.memory_since:
            return False
        return fresh

    def _fail(self):
        """Answer "unavailable" from now on, and start the thread that looks for Redis to come back."""
        with self._lock:
            self._down = True
            if self._prober is None or not self._prober.is_alive():
                self._prober = threading.Thread(target=self._probe, name="nonce-store-probe", daemon=True)
                self._prober.start()

    def _probe(self):
        """PING Redis every WSSE_REDIS_PAUSE seconds until it answers; then requests use it again."""
        while True:
            time.sleep(max(settings.WSSE_REDIS_PAUSE, MIN_PROBE_INTERVAL))
            try:
                self.client.ping()
            except self.errors:
                continue
            with self._lock:
                self._down = False
                self._prober = None
            return

    def ping(self):
        """Redis answers PING, within the store's timeouts."""
        if not self.client.ping():
            raise NonceStoreUnavailable("Redis did not answer PING")

    def purge(self):
        """Redis expires keys itself."""
        return 0


def _describe(url):
    """`redis` and a fingerprint of its address: hosts can be compared without showing where it is."""
    address = url.partition("://")[2].rpartition("@")[2]
    return f"redis {hashlib.sha256(address.encode()).hexdigest()[:12]}"


@cache
def _store_for(kind, url):
    return RedisNonceStore(url) if kind == "redis" else DatabaseNonceStore()


def get_nonce_store():
    """The configured store: Redis when REDIS_URL is set, else the database."""
    return _store_for(settings.WSSE_NONCE_STORE, settings.REDIS_URL)
