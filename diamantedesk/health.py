"""Liveness and readiness probes for load balancers and orchestrators; no authentication."""

import logging

from django.db import connection
from django.http import JsonResponse

from desk.core.http import read_only
from wsse_auth.nonce_store import get_nonce_store

logger = logging.getLogger("desk.ops")


@read_only
def healthz(request):
    """The process is up and serving; touches nothing else, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


def check_database():
    """The database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_nonce_store():
    """The replay store this host uses answers: Redis PING, or the nonce table can be read."""
    get_nonce_store().ping()


CHECKS = {"database": check_database, "nonce_store": check_nonce_store}


@read_only
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
    # Which store this host checks replays against: every host of one deployment must name the same.
    store = get_nonce_store().description
    if all(result == "ok" for result in results.values()):
        return JsonResponse({"status": "ready", "checks": results, "nonce_store": store})
    return JsonResponse({"status": "unavailable", "checks": results, "nonce_store": store}, status=503)
