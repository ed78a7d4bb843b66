"""Prometheus metrics: requests by method, route and status, and a latency histogram, at /metrics.

The counters use prometheus_client's multiprocess mode: every gunicorn worker writes its own memory-mapped
file under PROMETHEUS_MULTIPROC_DIR (default var/metrics) and /metrics sums all of them, so whichever worker
answers a scrape reports the totals of the whole host. Plain in-memory counters would report one worker's
share; counters in Redis or the database would add a network round trip or a write lock to every request.
Each host (container replica) reports its own totals and Prometheus sums across replicas, as it does for
any service. gunicorn started with diamantedesk/gunicorn_conf.py empties the files first, the way a
restarted process starts its counters at zero.
"""

import hmac
import logging
import os
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from desk.core.http import json_error, read_only
from diamantedesk.request_log import route_name

logger = logging.getLogger("desk.ops")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Methods outside this set share one label, so a client cannot mint label values.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def metrics_directory():
    """Where the workers of this host keep their counters."""
    return Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(settings.VAR_DIR) / "metrics")


@cache
def _prometheus():
    """prometheus_client, imported only here and only once the per-process files have a directory."""
    directory = metrics_directory()
    directory.mkdir(parents=True, exist_ok=True)
    # The library picks per-process files or plain memory from this variable when it is first imported,
    # which is why no module imports it at load time.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    import prometheus_client
    import prometheus_client.multiprocess

    if not prometheus_client.values.ValueClass._multiprocess:
        raise ImproperlyConfigured("prometheus_client was imported before PROMETHEUS_MULTIPROC_DIR was set.")
    return prometheus_client


@cache
def _instruments():
    """The request counter and latency histogram, backed by this process's files."""
    prometheus = _prometheus()
    requests = prometheus.Counter(
        "desk_http_requests",
        "HTTP requests answered, by method, route name and status code.",
        ["method", "route", "status"],
        registry=None,
    )
    latency = prometheus.Histogram(
        "desk_http_request_duration_seconds",
        "Time from the first middleware to the response, by method and route name.",
        ["method", "route"],
        buckets=LATENCY_BUCKETS,
        registry=None,
    )
    return requests, latency


def observe(method, route, status, seconds):
    """Count one answered request and its duration."""
    method = method if method in METHODS else "OTHER"
    requests, latency = _instruments()
    requests.labels(method=method, route=route, status=str(status)).inc()
    latency.labels(method=method, route=route).observe(seconds)


def exposition():
    """The summed counters of every worker of this host, in Prometheus text format."""
    prometheus = _prometheus()
    registry = prometheus.CollectorRegistry()
    prometheus.multiprocess.MultiProcessCollector(registry, path=str(metrics_directory()))
    return prometheus.generate_latest(registry)


class MetricsMiddleware:
    """Times every request and counts it under its route name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            observe(request.method, route_name(request), response.status_code, time.perf_counter() - started)
        except OSError:
            # A full or read-only disk loses a data point; it must not fail the request.
            logger.warning("Could not record request metrics", exc_info=True)
        return response


def _token_matches(request, token):
    """Whether the request carries `Authorization: Bearer <token>`, compared in constant time."""
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@read_only
def metrics(request):
    """Prometheus text format; with DESK_METRICS_TOKEN set, only for `Authorization: Bearer <token>`."""
    token = getattr(settings, "DESK_METRICS_TOKEN", "")
    if token and not _token_matches(request, token):
        return json_error(
            401, "Metrics need a valid bearer token.", {"WWW-Authenticate": 'Bearer realm="metrics"'}
        )
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)
