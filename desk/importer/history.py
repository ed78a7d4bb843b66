"""Old keys of moved tickets (`diamante_ticket_history`), so that they keep answering 301."""

from desk.importer.tickets import split_key
from desk.tickets.models import Ticket, TicketKeyHistory

HISTORY_BATCH = 1000


def import_history(ctx):
    """Copy old keys; a key a live ticket holds stays the live ticket's; of two equal keys the first wins."""
    report, table = ctx.report, "ticket key history"
    duplicated = {
        (key or "").strip().upper()
        for (key,) in ctx.source.rows(
            "SELECT ticket_key FROM diamante_ticket_history GROUP BY ticket_key HAVING COUNT(*) > 1"
        )
    }
    seen = set()
    batch = []
    progress = ctx.progress(table, "diamante_ticket_history")
    rows = ctx.source.rows(
        "SELECT h.id, h.ticket_id, h.ticket_key, t.id FROM diamante_ticket_history h "
        "LEFT JOIN diamante_ticket t ON t.id = h.ticket_id ORDER BY h.id"
    )
    for history_id, ticket_id, key, existing in rows:
        progress.advance()
        if existing is None or ticket_id in ctx.skipped_tickets:
            report.skip(table, "its ticket no longer exists", f"{key} -> ticket {ticket_id}")
            continue
        if split_key(key) is None:
            report.skip(table, "not a ticket key", f"{history_id}: {key!r}")
            continue
        key = key.strip().upper()
        if key in duplicated:
            if key in seen:
                report.skip(
                    table,
                    "same old key as an earlier row: the earlier one wins, as in the original",
                    f"{key} -> ticket {ticket_id}",
                )
                continue
            seen.add(key)
        batch.append((history_id, key, ticket_id))
        if len(batch) >= HISTORY_BATCH:
            _write(ctx, batch)
            batch = []
    _write(ctx, batch)
    progress.finish()


def _write(ctx, batch):
    """Write a batch of old keys, dropping those a live ticket now holds (the live ticket keeps its key)."""
    if not batch:
        return
    live = dict(Ticket.objects.filter(key__in=[key for _, key, _ in batch]).values_list("key", "id"))
    rows = []
    for history_id, key, ticket_id in batch:
        if key in live:
            ctx.report.change(
                "ticket key history",
                "old key also held by a live ticket: the live ticket keeps it, the redirect is dropped",
                f"{key}: live ticket {live[key]} kept, redirect to ticket {ticket_id} dropped",
            )
            continue
        rows.append(TicketKeyHistory(id=history_id, key=key, ticket_id=ticket_id, created_at=ctx.now))
    # created_at is auto_now_add, which bulk_create would stamp anyway: the original has no such time.
    TicketKeyHistory.objects.bulk_create(rows)
    ctx.report.count("ticket key history", len(rows))
