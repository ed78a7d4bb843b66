"""`manage.py import_diamantedesk --source mysql://...`: move a DiamanteDesk installation over."""

from django.core.management.base import BaseCommand, CommandError

from desk.importer.files import UnreadableFile
from desk.importer.preflight import Refused
from desk.importer.run import run_import
from desk.importer.source import SourceError


class Command(BaseCommand):
    help = (
        "Import a DiamanteDesk 1.0.x or 2.x MySQL/MariaDB database into this (empty) installation, "
        "keeping ids, keys, API keys, secrets and download links. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="mysql://user:password@host:3306/dbname")
        parser.add_argument(
            "--attachments-root",
            help="the original's app/attachments folder (holding ticket/ and comment/); "
            "without it, files are looked for at their stored absolute paths",
        )
        parser.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")
        parser.add_argument(
            "--superuser",
            action="append",
            default=[],
            metavar="USERNAME",
            help="a staff username that becomes a superuser (repeatable)",
        )

    def handle(self, *args, **options):
        try:
            report = run_import(
                source_url=options["source"],
                attachments_root=options["attachments_root"],
                dry_run=options["dry_run"],
                superusers=options["superuser"],
                progress_stream=self.stderr,
            )
        except (Refused, SourceError, UnreadableFile) as exc:
            raise CommandError(f"{exc}\nThe installation is unchanged.") from exc
        self.stdout.write(report.render(), ending="")
