"""Liveness and readiness probes for load balancers and orchestrators; no authentication."""

import logging
from functools import cache, wraps

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from wsse_auth.models import Nonce

logger = logging.getLogger("desk.ops")

# A probe must answer quickly even when a dependency hangs: an orchestrator times it out anyway.
REDIS_TIMEOUT_SECONDS = 2


def probe(view):
    """Allow GET and HEAD only, answering anything else with the API's JSON 405."""

    # Exempt from CSRF so that a POST gets this 405, not the CSRF failure page: these views change nothing.
    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"error": f'Method "{request.method}" not allowed.'}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapped


@probe
def healthz(request):
    """The process is up and serving; touches nothing else, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


@cache
def _redis_client(url):
    """A client with short timeouts, kept apart from the nonce store's so a probe can never hang it."""
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def check_database():
    """The database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_nonce_store():
    """The replay store answers: Redis PING, or the nonce table can be read."""
    if settings.REDIS_URL:
        if not _redis_client(settings.REDIS_URL).ping():
            raise ConnectionError("Redis did not answer PING")
        return
    query = Nonce.objects.order_by().values_list("pk", flat=True)[:1]
    if connection.in_atomic_block:
        # A savepoint, so that a failed read leaves the enclosing transaction usable.
        with transaction.atomic():
            list(query)
    else:
        # No transaction of its own: on SQLite that would take the write lock for a mere read.
        list(query)


CHECKS = {"database": check_database, "nonce_store": check_nonce_store}


@probe
def readyz(request):
    """Every dependency a request needs answers; 503 names the checks that failed."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # Any failure means "not ready"; the details go to the log, not the wire.
            logger.warning("Readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = "failed"
        else:
            results[name] = "ok"
    if all(result == "ok" for result in results.values()):
        return JsonResponse({"status": "ready", "checks": results})
    return JsonResponse({"status": "unavailable", "checks": results}, status=503)
