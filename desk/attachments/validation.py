"""Attachment input: its shape, strict base64, clean filenames and the size and count limits."""

import base64
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from rest_framework.exceptions import APIException

FIELD = "attachments_input"
MAX_FILENAME_LENGTH = 255
MAX_EXTENSION_LENGTH = 16

# Control (Cc), format (Cf: bidi overrides and marks, zero-width characters), surrogate, private-use and
# unassigned characters: none belongs in a filename, and bidi marks can disguise its extension.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_PATH_SEPARATORS = re.compile(r"[/\\]")
# PHP's strict base64_decode skips whitespace, so line-wrapped base64 from PHP clients is accepted.
_BASE64_WHITESPACE = re.compile(r"[ \t\r\n]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class AttachmentLimitExceeded(APIException):
    """413: an attachment, or their number, is over a configured limit."""

    status_code = 413
    default_detail = "Attachments are too large."
    default_code = "too_large"


@dataclass
class IncomingFile:
    """One validated attachment, not yet stored: its clean filename and its bytes or uploaded file."""

    filename: str
    content: bytes | File
    size: int
    content_type: str = "application/octet-stream"
    thumbnail: bytes | None = None


def clean_filename(name):
    """The last path part of a client's filename, without control or bidi characters, at most 255 long."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if unicodedata.category(char) not in _DROPPED_CATEGORIES)
    parts = [part.strip() for part in _PATH_SEPARATORS.split(name)]
    parts = [part for part in parts if part and part.strip(".")]
    if not parts:
        return ""
    name = " ".join(parts[-1].split())
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= MAX_EXTENSION_LENGTH:
            name = f"{stem[: MAX_FILENAME_LENGTH - len(extension) - 1]}.{extension}"
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name


def decoded_size(text):
    """How many bytes base64 text decodes to, counted without decoding it."""
    body = _BASE64_WHITESPACE.sub("", text).rstrip("=")
    return len(body) * 3 // 4


def decode_base64(text):
    """Decode base64 strictly: the standard alphabet, whitespace ignored, padding right when present."""
    compact = _BASE64_WHITESPACE.sub("", text)
    if not _BASE64.fullmatch(compact):
        raise ValueError("characters outside the base64 alphabet")
    body = compact.rstrip("=")
    if len(body) % 4 == 1 or (len(compact) != len(body) and len(compact) % 4):
        raise ValueError("wrong length or padding")
    return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)


def too_many_files_message():
    """The 413 message for more attachments than one request may carry."""
    return f"Too many attachments: the limit is {settings.DESK_ATTACHMENT_MAX_FILES} files per request."


def _invalid(index, message):
    return ValidationError({FIELD: f"Item {index}: {message}"}, code="invalid")


def _too_large(filename):
    limit = settings.DESK_ATTACHMENT_MAX_BYTES
    return AttachmentLimitExceeded(f'Attachment "{filename}" is too large: the limit is {limit} bytes.')


def _filename(index, raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise _invalid(index, "filename should not be empty.")
    if not isinstance(raw, str):
        raise _invalid(index, "filename should be a text.")
    filename = clean_filename(raw)
    if not filename:
        raise _invalid(index, "filename has no usable characters.")
    return filename


def _uploaded(index, upload, filename):
    if not upload.size:
        raise _invalid(index, f'file "{filename}" is empty.')
    if upload.size > settings.DESK_ATTACHMENT_MAX_BYTES:
        raise _too_large(filename)
    return IncomingFile(filename, upload, upload.size)


def _encoded(index, content, filename):
    if content is None or (isinstance(content, str) and not content.strip()):
        raise _invalid(index, "content should not be empty.")
    if not isinstance(content, str):
        raise _invalid(index, "content should be base64 text.")
    # Checked before decoding, so an oversized body is refused without holding its bytes twice.
    if decoded_size(content) > settings.DESK_ATTACHMENT_MAX_BYTES:
        raise _too_large(filename)
    try:
        data = decode_base64(content)
    except ValueError:
        raise _invalid(index, "content is not valid base64.") from None
    if len(data) > settings.DESK_ATTACHMENT_MAX_BYTES:
        raise _too_large(filename)
    return IncomingFile(filename, data, len(data))


def _item(index, item):
    if isinstance(item, UploadedFile):
        return _uploaded(index, item, _filename(index, item.name))
    if not isinstance(item, dict):
        raise _invalid(index, "should be an object with filename and content.")
    content = item.get("content")
    raw_name = item.get("filename")
    if isinstance(content, UploadedFile):
        return _uploaded(index, content, _filename(index, raw_name or content.name))
    return _encoded(index, content, _filename(index, raw_name))


def validate_inputs(inputs):
    """Check every attachment given (`attachmentsInput` items or uploaded files) and decode it; 400 or 413."""
    if not isinstance(inputs, list):
        raise ValidationError({FIELD: "Should be a list of objects with filename and content."})
    if len(inputs) > settings.DESK_ATTACHMENT_MAX_FILES:
        raise AttachmentLimitExceeded(too_many_files_message())
    return [_item(index, item) for index, item in enumerate(inputs)]
