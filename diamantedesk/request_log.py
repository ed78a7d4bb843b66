"""A request id for every request, echoed in X-Request-ID, and one JSON log line per request."""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.functional import empty

logger = logging.getLogger("desk.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# Ids from a client or the load balancer are kept only when they cannot smuggle anything into a log line.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# Paths are client input; a bounded length keeps one request from writing an enormous line.
MAX_LOGGED_PATH = 2048
# Probes arrive every few seconds from every orchestrator; they are logged only at DEBUG.
QUIET_ROUTES = frozenset({"healthz", "readyz"})

current_request_id = contextvars.ContextVar("current_request_id", default="-")


def request_id_for(request):
    """The caller's X-Request-ID when it is a sane token, else a new random one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE_REQUEST_ID.match(given) else uuid.uuid4().hex


def route_name(request):
    """The URL pattern's name (`staff:branches-list`), never the raw path, so metric labels stay bounded."""
    if "desk_route" not in request.__dict__:
        match = getattr(request, "resolver_match", None)
        if match is None:
            # Answered before URL resolution (413 from the body limit, a static file): resolve to label it.
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        if match is not None:
            request.desk_route = match.view_name
        elif request.path_info.startswith(_static_prefix()):
            request.desk_route = "static"
        else:
            request.desk_route = "unmatched"
    return request.desk_route


def _static_prefix():
    """The path under which WhiteNoise answers static files, before any URL pattern is tried."""
    return "/" + settings.STATIC_URL.lstrip("/")


def principal_id(request):
    """`oro_5` or `diamante_7` for an authenticated caller, else None; never loads a session user."""
    user = request.__dict__.get("user")
    if user is not None and hasattr(user, "_wrapped"):
        # The session middleware's lazy user: only report it when the view already loaded it.
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person_id", None)


class RequestLogMiddleware:
    """Outermost middleware: assigns the request id, then logs method, path, status and timing.

    Headers and bodies are never logged: they carry X-WSSE digests, API keys and customer data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
            response[REQUEST_ID_HEADER] = request_id
            route = route_name(request)
            line = {
                "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "request_id": request_id,
                "method": request.method,
                "path": request.path[:MAX_LOGGED_PATH],
                "route": route,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "principal": principal_id(request),
            }
            if response.status_code >= 500:
                level = logging.ERROR
            elif route in QUIET_ROUTES:
                level = logging.DEBUG
            else:
                level = logging.INFO
            logger.log(level, json.dumps(line, separators=(",", ":")))
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record, so an error logged inside a view names its request."""

    def filter(self, record):
        # django.request logs 4xx/5xx after the middleware has returned, but hands over the request.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True
