"""Kept counts of the tickets one filter matches (migration 0007's triggers keep them), for `X-Total`."""

# A count row is added the first time a filter is counted and then follows every ticket write in that
# write's own transaction, so `X-Total` of `?subject=refund` or `?status=open` stays exact without counting
# the tens of thousands of rows that match at a million tickets. Only a queryset that is that one filter
# of every ticket and nothing else is counted this way: two filters together, or a customer's own tickets,
# are counted by the database as before.
#
# Lookups: "subject", "description" and "key" (`icontains`, operand the LIKE pattern exactly as Django
# passes it), "subject description" (the search: either field contains it), and "status", "priority" and
# "source" (equality, operand the stored value).
#
# The triggers see a count row added after their transaction's snapshot only in READ COMMITTED, Django's
# default and the only level this project runs ticket writes at; `manage.py recount_tickets` repairs the
# counts should anything else have written tickets.

import operator
import re
import time
from functools import reduce

from django.db import DatabaseError, connections, transaction
from django.db.models import BigIntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from desk.api.pagination import counted

FILTER_COUNTS = "tickets_filtercount"
EQUALITY_LOOKUPS = ("status", "priority", "source")
# Substring lookups with a trigram index on PostgreSQL (migration 0006).
TRIGRAM_LOOKUPS = ("subject", "description", "subject description")
# Every kept count costs each ticket write one comparison per written row; the oldest beyond this are dropped.
MAX_KEPT = 64
# A fill waits this long for ticket writes in flight before giving up and leaving the count to a scan.
FILL_LOCK_TIMEOUT = "2s"
# Counts this process saw kept, and when: within this many seconds a page query reads the row without
# asking first. A row evicted meanwhile costs a scan (the page query falls back to one), never a wrong count.
SEEN_FOR = 60.0
_seen = {}


def text_condition(text, fields):
    """`icontains` on any of `fields`, exactly as the filters and the search have always matched."""
    return reduce(operator.or_, (Q(**{f"{name}__icontains": text}) for name in fields))


def like_pattern(connection, text):
    """The LIKE operand Django's `icontains` passes for `text` (escaped, between two `%`)."""
    return f"%{connection.ops.prep_for_like_query(text)}%"


def condition(lookup, operand):
    """The filter a count row stands for, as the queryset applies it."""
    if lookup in EQUALITY_LOOKUPS:
        return Q(**{lookup: operand})
    return text_condition(kept_text(operand), lookup.split())


def kept_text(pattern):
    """The text a kept LIKE pattern was made from: `like_pattern` undone."""
    return re.sub(r"\\(.)", r"\1", pattern[1:-1], flags=re.DOTALL)


def kept_count_expression(queryset, lookup, operand):
    """The match count, read from its kept row; a scan where the row is missing (evicted meanwhile)."""
    key = (lookup, operand)
    ensure_kept(queryset, key)
    sql = f"SELECT tickets FROM {FILTER_COUNTS} WHERE lookup = %s AND operand = %s"
    kept = RawSQL(sql, key, BigIntegerField())
    return Coalesce(kept, counted(queryset), output_field=BigIntegerField())


def ensure_kept(queryset, key):
    """Add the count row for `key` unless it is there already (or was, a moment ago)."""
    using = queryset.db
    now = time.monotonic()
    if now - _seen.get((using, *key), -SEEN_FOR) < SEEN_FOR:
        return
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {FILTER_COUNTS} WHERE lookup = %s AND operand = %s", key)
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
    """Count the matches with every ticket write held off, and keep the count from then on."""
    # Writes in flight are waited for and new ones wait until the row is committed: a write the count did
    # not see would otherwise have run its trigger before the row existed, and the count would stay short
    # by it. On SQLite the transaction is IMMEDIATE, which holds every other writer off already.
    using = queryset.db
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL lock_timeout = '{FILL_LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {queryset.model._meta.db_table} IN SHARE MODE")
            if key[0] in TRIGRAM_LOOKUPS:
                # Writes wait for this count. The planner prefers reading every entry of the plain subject
                # index to the trigram bitmap, which is 2-3x faster at a million tickets (bench/RESULTS.md).
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute("SET LOCAL enable_indexonlyscan = off")
        tickets = queryset.query.chain().get_count(using=using)
        cursor.execute(
            f"INSERT INTO {FILTER_COUNTS} (lookup, operand, tickets) VALUES (%s, %s, %s) "
            "ON CONFLICT (lookup, operand) DO NOTHING",
            [*key, tickets],
        )
        cursor.execute(
            f"DELETE FROM {FILTER_COUNTS} WHERE id NOT IN "
            f"(SELECT id FROM {FILTER_COUNTS} ORDER BY id DESC LIMIT {MAX_KEPT})"
        )


def filter_counts_recount(tickets, using):
    """Correct each kept filter count by a fresh one (writes held off by the caller); returns the wrong."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT id, lookup, operand, tickets FROM {FILTER_COUNTS} ORDER BY id")
        wrong = []
        for pk, lookup, operand, kept in cursor.fetchall():
            counted = tickets.filter(condition(lookup, operand)).count()
            if counted != kept:
                cursor.execute(f"UPDATE {FILTER_COUNTS} SET tickets = %s WHERE id = %s", [counted, pk])
                wrong.append((lookup, operand, kept, counted))
    return wrong
