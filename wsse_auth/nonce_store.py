"""The replay store: remembers used nonces in the database or in Redis, shared by every process."""

import random
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from wsse_auth.models import Nonce


class DatabaseNonceStore:
    """Nonces as rows with a primary key on their fingerprint; the database settles races."""

    def remember(self, fingerprint, ttl_seconds):
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


class RedisNonceStore:
    """Nonces as Redis keys set with NX and an expiry; Redis forgets them by itself."""

    def __init__(self, url):
        import redis

        self.client = redis.Redis.from_url(url)

    def remember(self, fingerprint, ttl_seconds):
        """Record the nonce; False when it was already recorded."""
        key = settings.WSSE_NONCE_PREFIX + fingerprint
        return bool(self.client.set(key, b"1", nx=True, ex=max(1, ttl_seconds)))

    def purge(self):
        """Redis expires keys itself."""
        return 0


@cache
def _store_for(kind, url):
    return RedisNonceStore(url) if kind == "redis" else DatabaseNonceStore()


def get_nonce_store():
    """The configured store: Redis when REDIS_URL is set, else the database."""
    return _store_for(settings.WSSE_NONCE_STORE, settings.REDIS_URL)
