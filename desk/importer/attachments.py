"""Attachments: the rows linked to a ticket or a comment, their files copied, their download hashes kept."""

import re
from itertools import groupby
from pathlib import PurePosixPath

from desk.attachments.models import Attachment, new_download_hash
from desk.importer.handles import KeptHandles
from desk.importer.source import utc
from desk.importer.writer import BulkWriter

# What the download routes accept, so an old link keeps working.
DOWNLOAD_HASH = re.compile(r"[0-9a-f]{32,64}")
ATTACHMENT_COLUMNS = [
    "id",
    "ticket_id",
    "comment_id",
    "hash",
    "filename",
    "file",
    "content_type",
    "size",
    "thumbnail",
    "created_at",
    "updated_at",
]


def import_attachments(ctx):
    """Copy attachment rows and files; a missing file is imported and reported, an orphan row skipped."""
    report, table = ctx.report, "attachments"
    _report_overwritten(ctx)
    hashes = KeptHandles(
        ctx,
        table=table,
        source="diamante_attachment",
        column="hash",
        pattern=DOWNLOAD_HASH,
        renew=new_download_hash,
        malformed="hash is no download hash: a new one given",
    )
    attachments = BulkWriter(Attachment, ATTACHMENT_COLUMNS, batch_rows=500)
    progress = ctx.progress(table, "diamante_attachment")
    # One row per holder link; an attachment linked twice comes as consecutive rows.
    rows = ctx.source.rows(
        "SELECT a.id, a.file, a.hash, a.created_at, a.updated_at, ta.ticket_id, ca.comment_id "
        "FROM diamante_attachment a "
        "LEFT JOIN diamante_ticket_attachments ta ON ta.attachment_id = a.id "
        "LEFT JOIN diamante_comment_attachments ca ON ca.attachment_id = a.id "
        "ORDER BY a.id, ta.ticket_id, ca.comment_id"
    )
    for attachment_id, links in groupby(rows, key=lambda row: row[0]):
        links = list(links)
        _, stored_path, download_hash, created, updated, _, _ = links[0]
        progress.advance()
        holder = _holder(ctx, attachment_id, links)
        if holder is None:
            continue
        download_hash = hashes.keep(attachment_id, download_hash)
        path = ctx.files.locate(stored_path)
        filename = PurePosixPath(stored_path).name or f"attachment-{attachment_id}"
        if path is None:
            report.missing_file(
                table, "file not found: row imported without a file", f"{attachment_id}: {stored_path}"
            )
            name, size, content_type, thumbnail = "", 0, "application/octet-stream", ""
        else:
            copied = ctx.files.copy(path, download_hash)
            name, size, content_type, thumbnail = (
                copied.name,
                copied.size,
                copied.content_type,
                copied.thumbnail,
            )
            report.count("attachment files")
        ticket_id, comment_id = holder
        created_at = utc(created) or ctx.now
        attachments.add(
            attachment_id,
            ticket_id,
            comment_id,
            download_hash,
            filename,
            name,
            content_type,
            size,
            thumbnail,
            created_at,
            utc(updated) or created_at,
        )
        report.count(table)
    attachments.flush()
    progress.finish()


def _holder(ctx, attachment_id, links):
    """(ticket id, None) or (None, comment id) of an attachment; None when it has no imported holder."""
    holders = []
    for *_, ticket_id, comment_id in links:
        if ticket_id is not None and (ticket_id, None) not in holders:
            holders.append((ticket_id, None))
        if comment_id is not None and (None, comment_id) not in holders:
            holders.append((None, comment_id))
    if not holders:
        ctx.report.skip(
            "attachments", "linked to no ticket or comment (left behind by a deletion)", attachment_id
        )
        return None
    if len(holders) > 1:
        ctx.report.change(
            "attachments", "linked to several holders: kept on the first only", f"{attachment_id}: {holders}"
        )
    ticket_id, comment_id = holders[0]
    if ticket_id in ctx.skipped_tickets or comment_id in ctx.skipped_comments:
        ctx.report.skip("attachments", "its ticket or comment is not imported", attachment_id)
        return None
    return holders[0]


def _report_overwritten(ctx):
    """Rows sharing one stored path: the original overwrote the file, so they all get its last content."""
    rows = ctx.source.rows(
        "SELECT file, COUNT(*) FROM diamante_attachment GROUP BY file HAVING COUNT(*) > 1 ORDER BY file"
    )
    for stored_path, rows_sharing in rows:
        ctx.report.note(
            "attachments",
            "rows sharing one file (overwritten in the original; each gets a copy of its last content)",
            f"{stored_path}: {rows_sharing} rows",
        )
