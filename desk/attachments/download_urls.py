"""Download routes: no authentication, no mount prefix; the random hash is the capability."""

from django.urls import re_path

from desk.attachments.downloads import download_file, download_thumbnail

urlpatterns = [
    re_path(r"^download/file/(?P<hash>[0-9a-f]{32,64})/?$", download_file, name="attachment-file"),
    re_path(
        r"^download/thumbnail/(?P<hash>[0-9a-f]{32,64})/?$", download_thumbnail, name="attachment-thumbnail"
    ),
]
