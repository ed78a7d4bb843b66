"""Ticket counts per branch kept by triggers, and trigram indexes for substring filters on PostgreSQL.

The counters change in the transaction that inserts, moves or deletes tickets, whoever writes them (the
API, the admin, the importer's COPY, a cascade), so the count of every ticket is exact without a scan.
On PostgreSQL inserts and deletes are counted once per statement from its transition table, so a COPY of
a million rows updates each count row once; a move is rare and counted per row. A branch's count row is
the only one its ticket writes touch, and they already hold that branch's row for numbering, so the
counters add no contention of their own.

`icontains` is `UPPER(col::text) LIKE UPPER('%x%')` on PostgreSQL; a trigram GIN index on exactly that
expression answers it, and the count of a subject filter or a search, without reading every row.
"""

from django.db import migrations

from desk.core.db.vendor_sql import vendor_sql

# No foreign key: a deleted branch leaves its row at 0, and no cascade can race the triggers.
CREATE_TABLE = "CREATE TABLE tickets_branchticketcount (branch_id bigint PRIMARY KEY, tickets bigint NOT NULL)"
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    CREATE_TABLE,
    """
    CREATE FUNCTION tickets_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO tickets_branchticketcount AS c (branch_id, tickets)
        SELECT branch_id, count(*) FROM new_rows GROUP BY branch_id
        ON CONFLICT (branch_id) DO UPDATE SET tickets = c.tickets + EXCLUDED.tickets;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION tickets_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tickets_branchticketcount c SET tickets = c.tickets - o.removed
        FROM (SELECT branch_id, count(*) AS removed FROM old_rows GROUP BY branch_id) o
        WHERE c.branch_id = o.branch_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION tickets_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tickets_branchticketcount SET tickets = tickets - 1 WHERE branch_id = OLD.branch_id;
        INSERT INTO tickets_branchticketcount AS c (branch_id, tickets) VALUES (NEW.branch_id, 1)
        ON CONFLICT (branch_id) DO UPDATE SET tickets = c.tickets + 1;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tickets_count_inserted()
    """,
    """
    CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tickets_count_deleted()
    """,
    """
    CREATE TRIGGER tickets_count_move AFTER UPDATE OF branch_id ON tickets_ticket
    FOR EACH ROW WHEN (OLD.branch_id IS DISTINCT FROM NEW.branch_id) EXECUTE FUNCTION tickets_count_moved()
    """,
    # Emptying the tickets table empties the counts with it.
    """
    CREATE FUNCTION tickets_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM tickets_branchticketcount;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER tickets_count_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_count_truncated()
    """,
    "CREATE INDEX tickets_subject_trgm ON tickets_ticket USING gin (UPPER(subject::text) gin_trgm_ops)",
    "CREATE INDEX tickets_description_trgm ON tickets_ticket USING gin (UPPER(description::text) gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS tickets_description_trgm",
    "DROP INDEX IF EXISTS tickets_subject_trgm",
    "DROP TRIGGER IF EXISTS tickets_count_truncate ON tickets_ticket",
    "DROP TRIGGER IF EXISTS tickets_count_move ON tickets_ticket",
    "DROP TRIGGER IF EXISTS tickets_count_delete ON tickets_ticket",
    "DROP TRIGGER IF EXISTS tickets_count_insert ON tickets_ticket",
    "DROP FUNCTION IF EXISTS tickets_count_truncated()",
    "DROP FUNCTION IF EXISTS tickets_count_moved()",
    "DROP FUNCTION IF EXISTS tickets_count_deleted()",
    "DROP FUNCTION IF EXISTS tickets_count_inserted()",
    "DROP TABLE IF EXISTS tickets_branchticketcount",
]
# SQLite has no statement triggers with transition tables; its row triggers cost an indexed write each.
SQLITE_ADD_ONE = """
        INSERT INTO tickets_branchticketcount (branch_id, tickets) VALUES (NEW.branch_id, 1)
        ON CONFLICT (branch_id) DO UPDATE SET tickets = tickets + 1;"""
SQLITE_FORWARD = [
    CREATE_TABLE,
    f"CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets_ticket BEGIN {SQLITE_ADD_ONE} END",
    """
    CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets_ticket BEGIN
        UPDATE tickets_branchticketcount SET tickets = tickets - 1 WHERE branch_id = OLD.branch_id;
    END
    """,
    f"""
    CREATE TRIGGER tickets_count_move AFTER UPDATE OF branch_id ON tickets_ticket
    WHEN OLD.branch_id IS NOT NEW.branch_id BEGIN
        UPDATE tickets_branchticketcount SET tickets = tickets - 1 WHERE branch_id = OLD.branch_id;
        {SQLITE_ADD_ONE}
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_count_move",
    "DROP TRIGGER IF EXISTS tickets_count_delete",
    "DROP TRIGGER IF EXISTS tickets_count_insert",
    "DROP TABLE IF EXISTS tickets_branchticketcount",
]
RECOUNT = (
    "INSERT INTO tickets_branchticketcount (branch_id, tickets) "
    "SELECT branch_id, COUNT(*) FROM tickets_ticket GROUP BY branch_id"
)


forward, backward = vendor_sql(
    {"postgresql": [*POSTGRES_FORWARD, RECOUNT], "sqlite": [*SQLITE_FORWARD, RECOUNT]},
    {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD},
    "ticket counters",
)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_counts_and_date_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
