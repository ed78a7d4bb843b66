"""Refuse request bodies over the configured size before anything reads them."""

from django.conf import settings
from django.http import JsonResponse


class BodySizeLimitMiddleware:
    """A body larger than DESK_MAX_BODY_BYTES is 413 with a message naming the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DESK_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"error": "Invalid Content-Length header."}, status=400)
        if length > limit:
            return JsonResponse(
                {"error": f"Request body is too large: the limit is {limit} bytes."}, status=413
            )
        return self.get_response(request)
