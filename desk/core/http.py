"""Plain Django answers in the API's error shape, for views and middleware outside DRF."""

from functools import wraps

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
