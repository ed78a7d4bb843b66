"""Ticket writes that span rows: numbering, moves between branches, recounts; each in one transaction."""

from django.db import connection, transaction
from django.http import Http404

from desk.attachments.services import attachments_create, attachments_rehash
from desk.branches.models import BRANCH_NOT_FOUND, Branch
from desk.events.log import change, event_record, events_rescope
from desk.tickets.filter_counts import filter_counts_recount
from desk.tickets.models import BRANCH_TICKET_COUNTS, TICKET_NOT_FOUND, Ticket, TicketKeyHistory
from desk.users.people import REPORTER


def _next_number(branch):
    """Take the branch's next ticket number; the caller's transaction holds the branch row until it ends.

    The UPDATE locks the row on PostgreSQL and SQLite runs IMMEDIATE transactions, so concurrent creates
    wait for each other and no number is handed out twice; the counter only grows, so deletes free nothing.
    """
    quote = connection.ops.quote_name
    table, counter = quote(Branch._meta.db_table), quote(Branch._meta.get_field("last_ticket_number").column)
    with connection.cursor() as cursor:
        # One statement takes the number and reads it back (PostgreSQL and SQLite 3.35 both return rows).
        cursor.execute(
            f"UPDATE {table} SET {counter} = {counter} + 1 WHERE {quote(Branch._meta.pk.column)} = %s "
            f"RETURNING {counter}",
            [branch.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404(BRANCH_NOT_FOUND)
    return row[0]


@transaction.atomic
def ticket_create(
    *,
    branch,
    subject,
    description,
    status,
    priority,
    source,
    reporter,
    assignee=None,
    attachments_input=None,
):
    """Open a ticket numbered in its branch; without an assignee the branch's default assignee takes it.

    `attachments_input` belongs to this transaction so that a ticket and its files are created together.
    """
    number = _next_number(branch)
    ticket = Ticket(
        branch=branch,
        number=number,
        key=f"{branch.key}-{number}",
        subject=subject,
        description=description,
        status=status,
        priority=priority,
        source=source,
        assignee_id=assignee.pk if assignee is not None else branch.default_assignee_id,
    )
    REPORTER.assign(ticket, reporter)
    ticket.save()
    ticket.hold_attachments([])  # a new row: its event tells of no attachments, as none are stored yet
    event_record(ticket, "created")
    ticket.hold_attachments(attachments_create(inputs=attachments_input, ticket=ticket))
    return ticket


def _move(ticket, branch):
    """Give the ticket a number and key in another branch, the old key kept; the change, unrecorded."""
    old_key, old_branch_id = ticket.key, ticket.branch_id
    number = _next_number(branch)
    # A key of a deleted branch can come back with a recreated branch; the ticket holding it now wins.
    TicketKeyHistory.objects.filter(key=old_key).delete()
    TicketKeyHistory.objects.create(key=old_key, ticket=ticket)
    ticket.branch = branch
    ticket.number = number
    ticket.key = f"{branch.key}-{number}"
    ticket.save(update_fields=["branch", "number", "key", "updated_at"])
    return {"branch": change(old_branch_id, branch.pk), "key": change(old_key, ticket.key)}


@transaction.atomic
def ticket_move(*, ticket, branch):
    """Move a ticket to another branch: a new number and key there, the old key kept for redirects."""
    if ticket.branch_id != branch.pk:
        event_record(ticket, "moved", changes=_move(ticket, branch))
    return ticket


@transaction.atomic
def ticket_update(*, ticket, branch=None, **changes):
    """Change a ticket's fields and, when a branch is given, move it; all or nothing.

    Only the given columns are written, so a concurrent change of another field (a comment setting the
    status) is not overwritten. A ticket taken from the customer who reported it gets new download links,
    and its events go to the customer who reports it now.
    """
    # Lock the row: two moves of one ticket must not both record the same old key.
    current = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
    if current is None:
        raise Http404(TICKET_NOT_FOUND)
    new_customer = changes.get("reporter_customer", current.reporter_customer)
    taken_from_customer = current.reporter_customer_id is not None and (
        getattr(new_customer, "pk", None) != current.reporter_customer_id
    )
    moved = _move(current, branch) if branch is not None and branch.pk != current.branch_id else None
    before = {name: _plain_value(current, name) for name in changes}
    before_reporter = REPORTER.reference(current)
    if changes:
        for name, value in changes.items():
            setattr(current, name, value)
        current.save(update_fields=[*changes, "updated_at"])
    if taken_from_customer:
        attachments_rehash(ticket=current)
    # Events last, after every row lock this transaction takes (desk/events/log.py says why).
    if REPORTER.reference(current) != before_reporter:
        events_rescope(ticket_id=current.pk, customer_id=current.reporter_customer_id)
    if moved:
        event_record(current, "moved", changes=moved)
    _record_changes(current, before, before_reporter)
    return current


def _plain_value(ticket, name):
    """A field's value as events carry it: a related row as its id."""
    field = Ticket._meta.get_field(name)
    return getattr(ticket, field.attname)


def _record_changes(ticket, before, before_reporter):
    """One event per kind of change: status, assignee, then the other fields together."""
    changed = {
        name: change(old, _plain_value(ticket, name))
        for name, old in before.items()
        if old != _plain_value(ticket, name) and name not in REPORTER_FIELDS
    }
    if REPORTER.reference(ticket) != before_reporter:
        changed["reporter"] = change(before_reporter, REPORTER.reference(ticket))
    for name, verb in SPECIFIC_CHANGES.items():
        if name in changed:
            event_record(ticket, verb, changes={name: changed.pop(name)})
    if changed:
        event_record(ticket, "updated", changes=changed)


# Changes subscribers follow on their own; the rest are `ticket.updated`.
SPECIFIC_CHANGES = {"status": "status_changed", "assignee": "assignee_changed"}
REPORTER_FIELDS = (REPORTER.user, REPORTER.customer)


@transaction.atomic
def ticket_counts_recount():
    """Correct the counts the triggers keep by fresh ones; returns the wrong branch and filter counts."""
    # Ticket writes wait until it ends (PostgreSQL: a SHARE lock; SQLite: the IMMEDIATE transaction), so
    # no write lands between the count and the correction. What was wrong comes back as
    # [(branch_id, kept, counted)] and [(lookup, operand, kept, counted)].
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        cursor.execute(f"SELECT branch_id, tickets FROM {BRANCH_TICKET_COUNTS}")
        kept = dict(cursor.fetchall())
        cursor.execute(f"SELECT branch_id, COUNT(*) FROM {table} GROUP BY branch_id")
        counted = dict(cursor.fetchall())
        wrong = []
        for branch_id in sorted(kept.keys() | counted.keys()):
            was, now = kept.get(branch_id), counted.get(branch_id, 0)
            if was == now:
                continue
            wrong.append((branch_id, was or 0, now))
            if was is None:
                sql = f"INSERT INTO {BRANCH_TICKET_COUNTS} (tickets, branch_id) VALUES (%s, %s)"
            else:
                sql = f"UPDATE {BRANCH_TICKET_COUNTS} SET tickets = %s WHERE branch_id = %s"
            cursor.execute(sql, [now, branch_id])
    return wrong, filter_counts_recount(Ticket.objects.all(), connection.alias)
