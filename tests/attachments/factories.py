"""Small factories for attachment tests: branches, tickets, comments, images and attachment input."""

import base64
import io
import struct
import zlib

from django.core.files.storage import default_storage
from PIL import Image

from tests.factories import make_branch, make_comment, make_ticket

__all__ = ["make_branch", "make_comment", "make_ticket"]

# The 1×1 GIF the public documentation posts as "test.jpg".
DOC_GIF_BASE64 = "R0lGODlhAQABAIAAAAUEBAAAACwAAAAAAQABAAACAkQBADs="


def image_bytes(size=(300, 200), format="PNG", color=(200, 30, 30)):
    """An image of the given size and format."""
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format=format)
    return output.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims a huge size: a decompression bomb as Pillow sees one."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def b64(data):
    """Base64 text of bytes."""
    return base64.b64encode(data).decode("ascii")


def item(filename, data):
    """One `attachmentsInput` entry."""
    return {"filename": filename, "content": b64(data)}


def stored(name):
    """Whether a file is in the attachment storage."""
    return bool(name) and default_storage.exists(name)


def storage_files(settings):
    """Every file under the local media root, as storage names."""
    root = settings.MEDIA_ROOT
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


TEXT = b"Hello, attachments!\n"


def download(client, url):
    """GET an absolute download URL and return the response."""
    return client.get(url.removeprefix("http://testserver"))
