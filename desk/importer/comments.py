"""Comments: ids, authors, privacy and timestamps kept."""

from desk.comments.models import Comment
from desk.importer.people import person_columns
from desk.importer.source import utc
from desk.importer.writer import BulkWriter

COMMENT_COLUMNS = [
    "id",
    "ticket_id",
    "author_user_id",
    "author_customer_id",
    "content",
    "private",
    "created_at",
    "updated_at",
]


def import_comments(ctx):
    """Copy comments of imported tickets; the join tells which tickets still exist."""
    report, table = ctx.report, "comments"
    comments = BulkWriter(Comment, COMMENT_COLUMNS)
    progress = ctx.progress(table, "diamante_comment")
    rows = ctx.source.rows(
        "SELECT c.id, c.ticket_id, c.content, c.author_id, c.created_at, c.updated_at, c.private, t.id "
        "FROM diamante_comment c LEFT JOIN diamante_ticket t ON t.id = c.ticket_id ORDER BY c.id"
    )
    for comment_id, ticket_id, content, author, created, updated, private, existing in rows:
        progress.advance()
        if existing is None or ticket_id in ctx.skipped_tickets:
            report.skip(table, "its ticket is not imported (NULL, deleted or skipped)", comment_id)
            ctx.skipped_comments.add(comment_id)
            continue
        author_user, author_customer = person_columns(author, report, table, comment_id)
        created_at = utc(created) or ctx.now
        comments.add(
            comment_id,
            ticket_id,
            author_user,
            author_customer,
            content or "",
            bool(private),
            created_at,
            utc(updated) or created_at,
        )
        report.count(table)
    comments.flush()
    progress.finish()
