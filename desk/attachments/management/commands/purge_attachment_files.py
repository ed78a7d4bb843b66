"""Delete stored files that no attachment names: left by a process killed mid-upload or a failed delete."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from desk.attachments.models import Attachment

# The folders the model's upload_to functions write to, each split by the first two hex digits of the hash.
FOLDERS = ("attachments", "thumbnails")


class Command(BaseCommand):
    help = "Delete attachment files in storage that no attachment row refers to."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=86400,
            help="Only files at least this many seconds old (default 86400): spares uploads in flight.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List the files without deleting them.")

    def handle(self, *args, older_than, dry_run, **options):
        storage = Attachment._meta.get_field("file").storage
        cutoff = timezone.now() - timedelta(seconds=older_than)
        found = 0
        for folder in FOLDERS:
            for names in self._batches(storage, folder):
                referenced = set()
                for file_name, thumbnail_name in Attachment.objects.filter(
                    Q(file__in=names) | Q(thumbnail__in=names)
                ).values_list("file", "thumbnail"):
                    referenced.update((file_name, thumbnail_name))
                for name in names:
                    if name in referenced or storage.get_modified_time(name) > cutoff:
                        continue
                    found += 1
                    self.stdout.write(name)
                    if not dry_run:
                        storage.delete(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{found} orphaned file(s) {verb}."))

    @staticmethod
    def _batches(storage, folder):
        """The file names of each subfolder in turn, so that memory stays bounded by one subfolder."""
        try:
            subfolders, _ = storage.listdir(folder)
        except FileNotFoundError:
            return
        for subfolder in sorted(subfolders):
            _, files = storage.listdir(f"{folder}/{subfolder}")
            names = [f"{folder}/{subfolder}/{name}" for name in sorted(files)]
            for start in range(0, len(names), 500):
                yield names[start : start + 500]
