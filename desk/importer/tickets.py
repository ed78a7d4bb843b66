"""Tickets: ids, numbers, keys and `unique_id`s kept; duplicates, odd values and dangling people settled."""

import re

from desk.importer.handles import KeptHandles
from desk.importer.people import person_columns
from desk.importer.source import utc
from desk.importer.writer import BulkWriter
from desk.tickets.models import Priority, Source, Status, Ticket, new_unique_id

UNIQUE_ID = re.compile(r"[0-9a-f]{32}")
TICKET_COLUMNS = [
    "id",
    "branch_id",
    "number",
    "key",
    "unique_id",
    "subject",
    "description",
    "status",
    "priority",
    "source",
    "reporter_user_id",
    "reporter_customer_id",
    "assignee_id",
    "created_at",
    "updated_at",
]
CHOICES = {
    "status": (Status, Status.NEW),
    "priority": (Priority, Priority.MEDIUM),
    "source": (Source, Source.WEB),
}
CODES = {name: frozenset(choices.values) for name, (choices, _) in CHOICES.items()}
# Codes and labels in lower case, as the API reads them.
READABLE = {
    name: {text: code for code, label in choices.choices for text in (code, label.lower())}
    for name, (choices, _) in CHOICES.items()
}


def split_key(key):
    """(`GS`, 4) for `gs-4`: the original parses keys at the last hyphen; None when it is no key."""
    prefix, _, number = (key or "").strip().rpartition("-")
    if not prefix or not (number.isascii() and number.isdigit()):
        return None
    return prefix.upper(), int(number)


def scan_history_numbers(ctx):
    """The highest number each branch key has in history: a branch never hands out a key that redirects."""
    for (key,) in ctx.source.rows("SELECT ticket_key FROM diamante_ticket_history"):
        parsed = split_key(key)
        if parsed is not None:
            prefix, number = parsed
            ctx.history_numbers[prefix] = max(ctx.history_numbers.get(prefix, 0), number)


def _counters(ctx):
    """Branch id -> the last number used: the highest of its live numbers, history keys and 2.x counter."""
    counters = {branch_id: ctx.history_numbers.get(key, 0) for branch_id, key in ctx.branch_keys.items()}
    for branch_id, floor in ctx.branch_counter_floor.items():
        counters[branch_id] = max(counters[branch_id], floor)
    for branch_id, highest in ctx.source.rows(
        "SELECT branch_id, MAX(number) FROM diamante_ticket WHERE branch_id IS NOT NULL GROUP BY branch_id"
    ):
        if branch_id in counters:
            counters[branch_id] = max(counters[branch_id], highest)
    return counters


def _choice(ctx, ticket_id, name, value):
    """The stored code, matched like the API's input (any case, or the label); else the default, reported."""
    if value in CODES[name]:
        return value
    default = CHOICES[name][1]
    code = READABLE[name].get((value or "").strip().lower())
    if code is not None:
        ctx.report.change("tickets", f"{name} {value!r} read as {code!r}", ticket_id)
        return code
    ctx.report.change("tickets", f"unknown {name}: set to {default.value!r}", f"{ticket_id}: {value!r}")
    return default.value


def import_tickets(ctx):
    """Copy tickets; the lower id keeps a duplicated (branch, number), the other takes the branch's next."""
    report, table = ctx.report, "tickets"
    scan_history_numbers(ctx)
    counters = _counters(ctx)
    duplicated_numbers = set(
        ctx.source.rows(
            "SELECT branch_id, number FROM diamante_ticket GROUP BY branch_id, number HAVING COUNT(*) > 1"
        )
    )
    unique_ids = KeptHandles(
        ctx,
        table=table,
        source="diamante_ticket",
        column="unique_id",
        pattern=UNIQUE_ID,
        renew=new_unique_id,
        malformed="unique_id not 32 lowercase hex: a new one given",
    )
    seen_numbers = set()
    tickets = BulkWriter(Ticket, TICKET_COLUMNS)
    progress = ctx.progress(table, "diamante_ticket")
    rows = ctx.source.rows(
        "SELECT id, assignee_id, branch_id, unique_id, number, subject, description, status, priority, "
        "reporter_id, created_at, updated_at, source FROM diamante_ticket ORDER BY id"
    )
    for (
        ticket_id,
        assignee_id,
        branch_id,
        unique_id,
        number,
        subject,
        description,
        status,
        priority,
        reporter,
        created,
        updated,
        source,
    ) in rows:
        progress.advance()
        branch_key = ctx.branch_keys.get(branch_id)
        if branch_key is None:
            report.skip(table, "no branch (NULL or deleted), with its comments and attachments", ticket_id)
            ctx.skipped_tickets.add(ticket_id)
            continue
        pair = (branch_id, number)
        if number < 1 or (pair in duplicated_numbers and pair in seen_numbers):
            counters[branch_id] += 1
            new_number = counters[branch_id]
            reason = (
                "number below 1: takes the branch's next"
                if number < 1
                else "duplicate (branch, number): the lower id keeps it, this one takes the next"
            )
            report.change(table, reason, f"{ticket_id}: {branch_key}-{number} -> {branch_key}-{new_number}")
            number = new_number
        elif pair in duplicated_numbers:
            seen_numbers.add(pair)
        unique_id = unique_ids.keep(ticket_id, unique_id)
        reporter_user, reporter_customer = person_columns(reporter, report, table, ticket_id)
        if assignee_id is not None and assignee_id not in ctx.staff_ids:
            report.change(table, "assignee is no staff user: left unassigned", f"{ticket_id}: {assignee_id}")
            assignee_id = None
        created_at = utc(created) or ctx.now
        updated_at = utc(updated)
        if updated_at is None:
            report.change(table, "no updated_at: created_at used", ticket_id)
            updated_at = created_at
        tickets.add(
            ticket_id,
            branch_id,
            number,
            f"{branch_key}-{number}",
            unique_id,
            subject,
            description,
            _choice(ctx, ticket_id, "status", status),
            _choice(ctx, ticket_id, "priority", priority),
            _choice(ctx, ticket_id, "source", source),
            reporter_user,
            reporter_customer,
            assignee_id,
            created_at,
            updated_at,
        )
        report.count(table)
    tickets.flush()
    progress.finish()
    for column in ("status_updated_since", "assigned_since", "reporter_email"):
        if ctx.layout.has("diamante_ticket", column):
            report.note(table, "2.x column not imported (this server has no such field)", column)
