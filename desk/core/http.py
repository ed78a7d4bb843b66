"""Plain Django answers in the API's error shape, for views and middleware outside DRF."""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def json_error(status, message, headers=None):
    """`{"error": message}` with this status, as every API error reads."""
    return JsonResponse({"error": message}, status=status, headers=headers)


def read_only(view):
    """GET and HEAD only; any other method is the API's JSON 405 (no CSRF check: nothing changes)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return json_error(405, f'Method "{request.method}" not allowed.', {"Allow": "GET, HEAD"})
        return view(request, *args, **kwargs)

    return wrapped


def client_address(request):
    """The caller's address: behind the proxy, the one it appended last to `X-Forwarded-For`."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.DESK_BEHIND_PROXY else ""
    return forwarded.rpartition(",")[2].strip() or request.META.get("REMOTE_ADDR", "")
