"""Download routes: no authentication, no mount prefix; the random hash is the capability."""

from django.http import JsonResponse
from django.urls import re_path


def not_yet(request, hash):
    return JsonResponse({"error": "Attachment not found."}, status=404)


urlpatterns = [
    re_path(r"^download/file/(?P<hash>[0-9a-f]{32,64})/?$", not_yet, name="attachment-file"),
    re_path(r"^download/thumbnail/(?P<hash>[0-9a-f]{32,64})/?$", not_yet, name="attachment-thumbnail"),
]
