"""Branches: `diamante_branch` with keys, default assignees and the tags Oro keeps in `oro_tag_tagging`."""

import re

from desk.branches.models import KEY_LETTERS, Branch
from desk.importer.source import utc
from desk.importer.writer import BulkWriter

BRANCH_ENTITY = "Diamante\\DeskBundle\\Entity\\Branch"
TICKET_ENTITY = "Diamante\\DeskBundle\\Entity\\Ticket"
# What the ticket-by-key route accepts as a branch key.
ROUTABLE_KEY = re.compile(rf"[{KEY_LETTERS}]+")
BRANCH_COLUMNS = [
    "id",
    "name",
    "description",
    "key",
    "tags",
    "default_assignee_id",
    "is_default",
    "last_ticket_number",
    "created_at",
    "updated_at",
]


def _tags_by_branch(ctx):
    """Branch id -> its tag names: the union over every staff member who tagged it, as the original showed."""
    tags = {}
    if not (ctx.layout.has_table("oro_tag_tagging") and ctx.layout.has_table("oro_tag_tag")):
        ctx.report.note("branches", "no Oro tag tables: branches have no tags")
        return tags
    rows = ctx.source.rows(
        "SELECT tg.record_id, t.name FROM oro_tag_tagging tg JOIN oro_tag_tag t ON t.id = tg.tag_id "
        "WHERE tg.entity_name = %s ORDER BY tg.record_id, tg.id",
        [BRANCH_ENTITY],
    )
    for branch_id, name in rows:
        names = tags.setdefault(branch_id, [])
        if name not in names:
            names.append(name)
    return tags


def import_branches(ctx):
    """Copy branches with ids, keys and timestamps; keys are stored upper-case, as lookups here expect."""
    report, table = ctx.report, "branches"
    tags = _tags_by_branch(ctx)
    counter = "number" if ctx.layout.has("diamante_branch", "number") else "NULL"
    branches = BulkWriter(Branch, BRANCH_COLUMNS)
    progress = ctx.progress(table, "diamante_branch")
    rows = ctx.source.rows(
        "SELECT id, default_assignee_id, name, description, branch_key, logo, createdAt, updatedAt, "
        f"{counter} FROM diamante_branch ORDER BY id"
    )
    for branch_id, assignee_id, name, description, key, logo, created, updated, next_number in rows:
        progress.advance()
        stored_key = key.strip().upper()
        if stored_key != key:
            report.change(
                table,
                "key stored upper-case (the original matched keys in any case)",
                f"{branch_id}: {key!r} -> {stored_key}",
            )
        if not ROUTABLE_KEY.fullmatch(stored_key):
            report.note(table, "key is not letters only: its tickets cannot be fetched by key", stored_key)
        if assignee_id is not None and assignee_id not in ctx.staff_ids:
            report.change(
                table, "default assignee is no staff user: left empty", f"{stored_key}: {assignee_id}"
            )
            assignee_id = None
        if logo:
            report.note(table, "logo not imported (this server has no branch logos)", f"{stored_key}: {logo}")
        created_at = utc(created) or ctx.now
        branches.add(
            branch_id,
            name,
            description,
            stored_key,
            tags.pop(branch_id, []),
            assignee_id,
            False,
            0,
            created_at,
            utc(updated) or created_at,
        )
        ctx.branch_keys[branch_id] = stored_key
        if next_number is not None:
            ctx.branch_counter_floor[branch_id] = next_number - 1
        report.count(table)
    branches.flush()
    progress.finish()
    for branch_id in tags:
        report.skip("branch tags", "tagging of a branch that no longer exists", branch_id)
    _report_ticket_tags(ctx)


def _report_ticket_tags(ctx):
    """2.x tickets can carry tags; this server has none on tickets, so the report lists those left behind."""
    if not ctx.layout.has_table("oro_tag_tagging"):
        return
    rows = ctx.source.rows(
        "SELECT tg.record_id, t.name FROM oro_tag_tagging tg JOIN oro_tag_tag t ON t.id = tg.tag_id "
        "WHERE tg.entity_name = %s ORDER BY tg.record_id, tg.id",
        [TICKET_ENTITY],
    )
    for ticket_id, name in rows:
        ctx.report.skip(
            "ticket tags", "not imported (tickets have no tags here)", f"ticket {ticket_id}: {name}"
        )
