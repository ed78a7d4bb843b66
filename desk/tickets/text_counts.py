"""Kept counts of the tickets a substring filter or a search matches (migration 0007's triggers keep them).

A count row is added the first time a pattern is counted and then follows every ticket write in that
write's own transaction, so `X-Total` of `?subject=refund` stays exact without rechecking the tens of
thousands of rows that match at a million tickets. Only a queryset that is that one text match and
nothing else is counted this way: any other filter, or a customer's own tickets, is counted by the
database as before.
"""

import operator
import re
import time
from functools import reduce

from django.db import DatabaseError, connections, transaction
from django.db.models import BigIntegerField, Count, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

TEXT_COUNTS = "tickets_textcount"
# Every kept pattern costs each ticket write one LIKE per written row; the oldest beyond this are dropped.
MAX_KEPT = 64
# A fill waits this long for ticket writes in flight before giving up and leaving the count to a scan.
FILL_LOCK_TIMEOUT = "2s"
# Patterns this process saw kept, and when: within this many seconds a page query reads the row without
# asking first. A row evicted meanwhile costs a scan (the page query falls back to one), never a wrong count.
SEEN_FOR = 60.0
_seen = {}


def text_condition(text, fields):
    """`icontains` on any of `fields`, exactly as the filters and the search have always matched."""
    return reduce(operator.or_, (Q(**{f"{name}__icontains": text}) for name in fields))


def like_pattern(connection, text):
    """The LIKE operand Django's `icontains` passes for `text` (escaped, between two `%`)."""
    return f"%{connection.ops.prep_for_like_query(text)}%"


def kept_count_expression(queryset, fields, text):
    """The match count, read from its kept row; a scan where the row is missing (evicted meanwhile)."""
    connection = connections[queryset.db]
    key = (" ".join(fields), like_pattern(connection, text))
    ensure_kept(queryset, key)
    sql = f"SELECT tickets FROM {TEXT_COUNTS} WHERE fields = %s AND pattern = %s"
    kept = RawSQL(sql, key, BigIntegerField())
    # A constant is not grouped by, so this is a plain `SELECT COUNT(*) ... WHERE ...`: always one row.
    scanned = queryset.order_by().annotate(_desk_one=Value(1)).values("_desk_one").annotate(n=Count("*"))
    return Coalesce(kept, Subquery(scanned.values("n")), output_field=BigIntegerField())


def ensure_kept(queryset, key):
    """Add the count row for `key` unless it is there already (or was, a moment ago)."""
    using = queryset.db
    now = time.monotonic()
    if now - _seen.get((using, *key), -SEEN_FOR) < SEEN_FOR:
        return
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TEXT_COUNTS} WHERE fields = %s AND pattern = %s", key)
        kept = cursor.fetchone() is not None
    if not kept:
        try:
            fill(queryset, key)
        except DatabaseError:
            # Writes held the table longer than the timeout: this count, and the next, are scans instead.
            return
    if len(_seen) > 4 * MAX_KEPT:
        _seen.clear()
    _seen[(using, *key)] = now


def fill(queryset, key):
    """Count the matches with every ticket write held off, and keep the count from then on.

    Writes in flight are waited for and new ones wait until the row is committed: a write the count did
    not see would otherwise have run its trigger before the row existed, and the count would stay short
    by it. On SQLite the transaction is IMMEDIATE, which holds every other writer off already.
    """
    using = queryset.db
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL lock_timeout = '{FILL_LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {queryset.model._meta.db_table} IN SHARE MODE")
        tickets = queryset.query.chain().get_count(using=using)
        cursor.execute(
            f"INSERT INTO {TEXT_COUNTS} (fields, pattern, tickets) VALUES (%s, %s, %s) "
            "ON CONFLICT (fields, pattern) DO NOTHING",
            [*key, tickets],
        )
        cursor.execute(
            f"DELETE FROM {TEXT_COUNTS} WHERE id NOT IN "
            f"(SELECT id FROM {TEXT_COUNTS} ORDER BY id DESC LIMIT {MAX_KEPT})"
        )


def kept_text(pattern):
    """The text a kept LIKE pattern was made from: `like_pattern` undone."""
    return re.sub(r"\\(.)", r"\1", pattern[1:-1], flags=re.DOTALL)


def text_counts_recount(tickets, using):
    """Count every kept pattern afresh and correct the wrong ones; the caller holds ticket writes off.

    Returns (fields, pattern, kept, counted) for each count that was wrong.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT id, fields, pattern, tickets FROM {TEXT_COUNTS} ORDER BY id")
        rows = cursor.fetchall()
        wrong = []
        for pk, fields, pattern, kept in rows:
            counted = tickets.filter(text_condition(kept_text(pattern), fields.split())).count()
            if counted != kept:
                cursor.execute(f"UPDATE {TEXT_COUNTS} SET tickets = %s WHERE id = %s", [counted, pk])
                wrong.append((fields, pattern, kept, counted))
    return wrong
