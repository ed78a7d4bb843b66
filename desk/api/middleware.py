"""Request plumbing outside DRF: body size limits before anything reads a body, and outages as 503."""

from django.conf import settings

from desk.api.errors import outage_response
from desk.core.http import json_error


def _content_length(request):
    """The declared body length; None when the header is not a number."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length >= 0 else None


def _too_large(limit):
    return json_error(413, f"Request body is too large: the limit is {limit} bytes.")


class BodySizeLimitMiddleware:
    """413 over DESK_MAX_BODY_BYTES, or over DESK_MAX_PLAIN_BODY_BYTES where a route takes no attachments."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        if length is None:
            return json_error(400, "Invalid Content-Length header.")
        if length > settings.DESK_MAX_BODY_BYTES:
            return _too_large(settings.DESK_MAX_BODY_BYTES)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only now is the route known, and the body is still unread.
        viewset = getattr(view_func, "cls", None)
        actions = getattr(view_func, "actions", None)
        if viewset is None or not actions:
            return None
        if actions.get(request.method.lower()) in getattr(viewset, "attachment_actions", ()):
            return None
        limit = settings.DESK_MAX_PLAIN_BODY_BYTES
        return _too_large(limit) if _content_length(request) > limit else None


class OutageMiddleware:
    """A database or Redis outage in a view outside DRF (admin, downloads) is a JSON 503, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return outage_response(exception)
