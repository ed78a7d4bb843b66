"""Attachment downloads: no authentication, the random hash is the capability; files are streamed."""

import logging
import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse

from desk.attachments.links import token_admits
from desk.attachments.models import Attachment
from desk.core.http import json_error, read_only

logger = logging.getLogger("desk.attachments")
DOWNLOAD_TOKEN_REFUSED = "Download link is missing its token, or it has expired."

# Characters some clients misread inside a quoted filename (escapes, percent-decoding) or that break it.
_UNSAFE_FALLBACK = re.compile(r'[^\x20-\x7e]|["\\%]')


def content_disposition(filename):
    """`attachment` with an ASCII fallback name and, when that differs, the exact name per RFC 6266/5987."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = _UNSAFE_FALLBACK.sub("_", fallback).strip()
    if not fallback or fallback.startswith("."):
        fallback = f"attachment{fallback}"
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def _private(response):
    # A download is one person's: no shared cache may keep it, nor a browser store it.
    response["Cache-Control"] = "private, no-store"
    return response


def _not_found(message):
    return _private(json_error(404, message))


def _find(request, hash):
    """The attachment a download names, or the answer: 403 without a valid token when links are signed."""
    if settings.DESK_SIGNED_DOWNLOADS and not token_admits(request.GET.get("token", ""), hash):
        # Checked before the lookup, so the answer says nothing about whether the hash exists.
        return None, _private(json_error(403, DOWNLOAD_TOKEN_REFUSED))
    attachment = Attachment.objects.filter(hash=hash).first()
    if attachment is None:
        return None, _not_found("Attachment not found.")
    return attachment, None


def _serve(field_file, content_type, filename):
    # A row imported from DiamanteDesk whose file was already gone names no file at all.
    if not field_file.name:
        return _not_found("Attachment file not found.")
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        logger.error("Attachment file %s is missing from storage", field_file.name)
        return _not_found("Attachment file not found.")
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser display it anyway, nothing in it may run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)


@read_only
def download_file(request, hash):
    """The attachment's bytes, with its sniffed type and its original name."""
    attachment, refused = _find(request, hash)
    if refused is not None:
        return refused
    return _serve(attachment.file, attachment.content_type, attachment.filename)


@read_only
def download_thumbnail(request, hash):
    """The attachment's 100×100 PNG thumbnail; 404 when it is no image."""
    attachment, refused = _find(request, hash)
    if refused is not None:
        return refused
    if not attachment.thumbnail:
        return _not_found("Attachment has no thumbnail.")
    return _serve(attachment.thumbnail, "image/png", f"{attachment.hash}.png")
