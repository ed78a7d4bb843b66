"""The original's attachment files: found under --attachments-root, copied to storage, undone on failure."""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.base import ContentFile

from desk.attachments.models import Attachment, file_path, thumbnail_path
from desk.attachments.storage import delete_files
from desk.attachments.thumbnails import ThumbnailBudget, inspect_content

MARKER = "/attachments/"


class UnreadableFile(Exception):
    """A file that exists but cannot be read: the import stops rather than lose it."""


def candidates(stored_path, attachments_root):
    """Where a stored path's file may be now: `ticket/`/`comment/` under the root, then the stored path."""
    # Only paths inside an attachments folder, and none with `..`: a stored value must never make the
    # importer copy some other file of this machine into the helpdesk.
    if MARKER not in stored_path or ".." in PurePosixPath(stored_path).parts:
        return []
    found = []
    if attachments_root is not None:
        found.append(Path(attachments_root) / stored_path.rsplit(MARKER, 1)[1])
    if stored_path.startswith("/"):
        found.append(Path(stored_path))
    return found


@dataclass
class CopiedFile:
    """What storage now holds for one attachment row."""

    name: str
    size: int
    content_type: str
    thumbnail: str


class FileCopier:
    """Copies files into the attachments storage, journalling each name so a failed import removes them."""

    def __init__(self, attachments_root, dry_run):
        self.root = attachments_root
        self.dry_run = dry_run
        self.storage = Attachment._meta.get_field("file").storage
        # The names written go to a temporary file, not a list, so memory stays flat for any number of files.
        self.journal = tempfile.TemporaryFile(mode="w+", encoding="utf-8")

    def locate(self, stored_path):
        """The readable file for a stored path, or None when it is nowhere."""
        for path in candidates(stored_path, self.root):
            if path.exists():
                if not path.is_file() or not os.access(path, os.R_OK):
                    raise UnreadableFile(f"{path} exists but is not a readable file")
                return path
        return None

    def copy(self, path, download_hash):
        """Store the file under a new random name, with a thumbnail when it is an image."""
        holder = Attachment(hash=download_hash)
        size = path.stat().st_size
        if self.dry_run:
            return CopiedFile("", size, "", "")
        try:
            with path.open("rb") as handle:
                # A budget per file: an import is no request, every image under the size limit gets one.
                inspection = inspect_content(path.name, handle, ThumbnailBudget())
                handle.seek(0)
                name = self._save(file_path(holder, path.name), File(handle))
        except OSError as exc:
            raise UnreadableFile(f"{path}: {exc}") from exc
        thumbnail = ""
        if inspection.thumbnail:
            thumbnail = self._save(thumbnail_path(holder, path.name), ContentFile(inspection.thumbnail))
        return CopiedFile(name, size, inspection.content_type, thumbnail)

    def _save(self, name, content):
        saved = self.storage.save(name, content)
        self.journal.write(saved + "\n")
        self.journal.flush()
        return saved

    def remove_all(self):
        """Delete every file this import stored: the rows naming them are gone with the rolled-back import."""
        self.journal.seek(0)
        delete_files(self.storage, (line.rstrip("\n") for line in self.journal if line.strip()))

    def close(self):
        self.journal.close()
