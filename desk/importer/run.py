"""One import: checks, then every stage in one transaction; on any failure, rows and files are undone."""

import sys

from django.db import transaction
from django.utils import timezone

from desk.importer import preflight
from desk.importer.attachments import import_attachments
from desk.importer.branches import import_branches
from desk.importer.comments import import_comments
from desk.importer.context import ImportContext
from desk.importer.customers import import_customers
from desk.importer.files import FileCopier
from desk.importer.finish import finish
from desk.importer.history import import_history
from desk.importer.report import Report
from desk.importer.source import Source
from desk.importer.staff import import_staff
from desk.importer.tickets import import_tickets
from desk.importer.watchers import import_watchers

# In dependency order: each stage's rows exist before a later stage names them.
STAGES = [
    import_staff,
    import_customers,
    import_branches,
    import_tickets,
    import_history,
    import_comments,
    import_attachments,
    import_watchers,
]


def run_import(*, source_url, attachments_root=None, dry_run=False, superusers=(), progress_stream=None):
    """Import a DiamanteDesk database and return the Report; preflight.Refused means nothing was written."""
    source = Source(source_url)
    report = Report()
    report.version, report.dry_run = source.layout.version, dry_run
    files = FileCopier(attachments_root, dry_run)
    ctx = ImportContext(
        source=source,
        report=report,
        files=files,
        progress_stream=progress_stream or sys.stderr,
        now=timezone.now(),
        superusers=frozenset(superusers),
    )
    try:
        preflight.check(source, ctx.superusers)
        with transaction.atomic():
            for stage in STAGES:
                stage(ctx)
            finish(ctx, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        # The transaction is rolled back; the files it stored go too.
        files.remove_all()
        raise
    finally:
        files.close()
        source.close()
    return report
