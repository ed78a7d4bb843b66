"""What a file really is, judged by its content, and a 100×100 PNG thumbnail for every image Pillow reads."""

import io
import logging
import mimetypes
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps

logger = logging.getLogger("desk.attachments")

THUMBNAIL_SIZE = (100, 100)
OCTET_STREAM = "application/octet-stream"
PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})
# Types a browser could render or run; downloads never claim them, whatever the extension says.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/css",
    }
)
COMPRESSED_TYPES = {"gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz"}
# Python's built-in table only, not the host's /etc/mime.types, so every host answers the same.
_EXTENSION_TYPES = mimetypes.MimeTypes()


@dataclass
class Inspection:
    """The content type to serve a file with, and its thumbnail as PNG bytes when it is a readable image."""

    content_type: str
    thumbnail: bytes | None


def _open_image(fileobj):
    """The image Pillow finds in the file, or None; an image over Pillow's bomb limit counts as none."""
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(fileobj)
    # Pillow's plugins raise many kinds of errors on hostile input; any of them means "not an image".
    except Exception as exc:
        logger.debug("Not an image: %s", exc)
        return None


class ThumbnailBudget:
    """How many pixels and images one request may still decode for thumbnails; past it, none are made."""

    def __init__(self):
        self.pixels = settings.DESK_THUMBNAIL_REQUEST_PIXELS
        self.files = settings.DESK_THUMBNAIL_REQUEST_FILES

    def take(self, pixels):
        """Spend budget on an image of that many pixels; False, spending nothing, when it does not fit."""
        if pixels > settings.DESK_THUMBNAIL_MAX_PIXELS or pixels > self.pixels or self.files < 1:
            return False
        self.pixels -= pixels
        self.files -= 1
        return True


def _thumbnail(image, budget):
    """A PNG no larger than 100×100 of the image's first frame, or None when it is over the budget."""
    width, height = image.size
    if not budget.take(width * height):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image.thumbnail(THUMBNAIL_SIZE)
    image = ImageOps.exif_transpose(image)
    if image.mode not in PNG_MODES:
        image = image.convert("RGBA")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _type_from_extension(filename):
    """The type the extension suggests, unless it is an image (Pillow said it is not) or active content."""
    guessed, encoding = _EXTENSION_TYPES.guess_type(filename, strict=False)
    if encoding:
        return COMPRESSED_TYPES.get(encoding, OCTET_STREAM)
    if not guessed or guessed.startswith("image/") or guessed in ACTIVE_TYPES:
        return OCTET_STREAM
    return guessed


def inspect_content(filename, fileobj, budget):
    """Sniff the content type (Pillow first, then a harmless extension) and make a thumbnail within budget."""
    image = _open_image(fileobj)
    if image is None:
        return Inspection(_type_from_extension(filename), None)
    # Leaving the block releases the image but not the caller's file, which `close()` would close.
    with image:
        content_type = Image.MIME.get(image.format or "", OCTET_STREAM)
        try:
            thumbnail = _thumbnail(image, budget)
        # A corrupt or truncated image is still stored, only without a thumbnail.
        except Exception as exc:
            logger.info("No thumbnail for %r: %s", filename, exc)
            thumbnail = None
    fileobj.seek(0)
    return Inspection(content_type, thumbnail)
