"""Download links: the random hash is the capability; with `DESK_SIGNED_DOWNLOADS`, also an expiring token."""

import time

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "desk.attachments.download"


class _WindowSigner(signing.TimestampSigner):
    """Stamps tokens with the start of a quarter of their lifetime, so that one representation reads the
    same for that long (its ETag stays put); a token then lives between 3/4 and all of its lifetime."""

    def timestamp(self):
        window = max(1, settings.DESK_DOWNLOAD_TOKEN_LIFETIME // 4)
        return signing.b62_encode(int(time.time()) // window * window)


def download_path(attachment, thumbnail=False):
    """The path of an attachment's file (or thumbnail), with its token when downloads are signed."""
    name = "attachment-thumbnail" if thumbnail else "attachment-file"
    path = reverse(name, kwargs={"hash": attachment.hash})
    if settings.DESK_SIGNED_DOWNLOADS:
        path += f"?token={_WindowSigner(salt=_SALT).sign(attachment.hash)}"
    return path


def token_admits(token, hash):
    """Whether a download token was signed here for this hash and has not expired."""
    try:
        signed = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=settings.DESK_DOWNLOAD_TOKEN_LIFETIME
        )
    except signing.BadSignature:  # also an expired one
        return False
    return signing.constant_time_compare(signed, hash)
