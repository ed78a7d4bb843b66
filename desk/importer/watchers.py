"""Ticket watchers (2.x `diamante_watcher_list`): a staff user or a customer following a ticket."""

from desk.importer.people import STAFF, parse_person
from desk.importer.writer import BulkWriter
from desk.tickets.models import Watcher
from desk.users.models import Customer

WATCHER_BATCH = 1000


def import_watchers(ctx):
    """Copy watchers of imported tickets; one watching twice counts once, a missing person is skipped."""
    if not ctx.layout.has_table("diamante_watcher_list"):
        return
    table = "watchers"
    writer = BulkWriter(Watcher, ["id", "ticket_id", "user_id", "customer_id", "created_at"])
    progress = ctx.progress(table, "diamante_watcher_list")
    seen, batch, current_ticket = set(), [], None
    rows = ctx.source.rows(
        "SELECT id, ticket_id, user_type FROM diamante_watcher_list ORDER BY ticket_id, id"
    )
    for watcher_id, ticket_id, reference in rows:
        progress.advance()
        if ticket_id is None or ticket_id in ctx.skipped_tickets:
            ctx.report.skip(table, "its ticket is not imported", watcher_id)
            continue
        person = parse_person(reference)
        if person is None:
            ctx.report.skip(table, "names no person", f"{watcher_id}: {reference!r}")
            continue
        if ticket_id != current_ticket:
            seen, current_ticket = set(), ticket_id
        if person in seen:
            ctx.report.skip(table, "same person watching the same ticket again", f"{watcher_id}: {reference}")
            continue
        seen.add(person)
        batch.append((watcher_id, ticket_id, person))
        if len(batch) >= WATCHER_BATCH:
            _write(ctx, writer, batch)
            batch = []
    _write(ctx, writer, batch)
    writer.flush()
    progress.finish()


def _write(ctx, writer, batch):
    """Queue watchers whose person was imported (placeholders do not exist yet, so they do not count)."""
    customer_ids = [person_id for _, _, (kind, person_id) in batch if kind != STAFF]
    customers = dict(Customer.objects.filter(pk__in=customer_ids).values_list("pk", "deleted_at"))
    for watcher_id, ticket_id, (kind, person_id) in batch:
        known = person_id in ctx.staff_ids if kind == STAFF else person_id in customers
        if known and customers.get(person_id) is not None and kind != STAFF:
            ctx.report.skip(
                "watchers",
                "a deleted customer stops watching, as a deletion here does",
                f"{watcher_id}: {kind}_{person_id}",
            )
            continue
        if not known:
            ctx.report.skip("watchers", "the person no longer exists", f"{watcher_id}: {kind}_{person_id}")
            continue
        staff = kind == STAFF
        writer.add(watcher_id, ticket_id, person_id if staff else None, None if staff else person_id, ctx.now)
        ctx.report.count("watchers")
