"""Redis clients that fail fast: calls bounded by WSSE_REDIS_TIMEOUT, one retry for a broken connection."""

from django.conf import settings


def bounded_redis(url, **options):
    """A client whose calls wait at most the timeout, retried once only when a connection broke."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    timeout = settings.WSSE_REDIS_TIMEOUT
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        # A pooled connection a restart broke fails at once and is worth one retry on a fresh one; a
        # timeout means Redis is not answering, and trying again would only double the wait (redis-py's
        # default is three retries with backoff).
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        **options,
    )
