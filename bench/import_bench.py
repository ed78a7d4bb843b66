"""Import benchmark: a large synthetic DiamanteDesk 2.x database in MariaDB, imported into a fresh target.

Usage:
    .venv/bin/python bench/import_bench.py --quick                       # 2,000 tickets, to check it works
    .venv/bin/python bench/import_bench.py --tickets 200000 --comments-per-ticket 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_bench.py ...
The source is a scratch database on the MariaDB of IMPORT_TEST_MYSQL_* (default root@127.0.0.1:3306);
the target is a scratch database beside DATABASE_URL's (PostgreSQL) or a temporary SQLite file. Both
are dropped at the end. Prints the import's own report and rows per second.
"""

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.importer.scratch import ScratchDatabase  # noqa: E402

INSERT_ROWS = 5000


def _batched(database, table, rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= INSERT_ROWS:
            database.insert(table, batch)
            batch = []
    database.insert(table, batch)


def generate(database, tickets, comments_per_ticket, staff=50, customers=10000, branches=20):
    """Fill the source: staff with keys, customers with logins, branches, tickets, comments, watchers."""
    stamp = "2016-09-01 10:00:00"
    _batched(
        database,
        "oro_user",
        (
            {
                "id": i,
                "username": f"agent{i}",
                "email": f"agent{i}@example.com",
                "first_name": "A",
                "last_name": str(i),
                "enabled": 1,
                "salt": "s",
                "password": "p",
                "createdAt": stamp,
                "updatedAt": stamp,
            }
            for i in range(1, staff + 1)
        ),
    )
    _batched(
        database,
        "oro_user_api",
        ({"user_id": i, "api_key": hashlib.sha1(f"k{i}".encode()).hexdigest()} for i in range(1, staff + 1)),
    )
    _batched(
        database,
        "diamante_api_user",
        (
            {
                "id": i,
                "email": f"c{i}@example.com",
                "password": f"secret-{i}",
                "is_active": 1,
                "hash": "",
                "hash_expiration_time": 0,
                "diamante_user": i,
            }
            for i in range(1, customers + 1)
        ),
    )
    _batched(
        database,
        "diamante_user",
        (
            {
                "id": i,
                "email": f"c{i}@example.com",
                "first_name": "C",
                "last_name": str(i),
                "api_user": i,
                "is_deleted": 0,
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i in range(1, customers + 1)
        ),
    )
    _batched(
        database,
        "diamante_branch",
        (
            {
                "id": i,
                "default_assignee_id": 1 + i % staff,
                "name": f"Branch {i}",
                "description": None,
                "branch_key": "B" + "".join(chr(65 + int(d)) for d in str(i)),
                "logo": "",
                "createdAt": stamp,
                "updatedAt": stamp,
                "number": tickets // branches + 2,
            }
            for i in range(1, branches + 1)
        ),
    )
    description = "Lorem ipsum dolor sit amet. " * 10
    _batched(
        database,
        "diamante_ticket",
        (
            {
                "id": i,
                "assignee_id": 1 + i % staff,
                "branch_id": 1 + i % branches,
                "unique_id": uuid.uuid4().hex,
                "number": 1 + i // branches,
                "subject": f"Ticket {i}",
                "description": description,
                "status": "open",
                "priority": "medium",
                "reporter_id": f"diamante_{1 + i % customers}",
                "created_at": stamp,
                "updated_at": stamp,
                "source": "web",
                "reporter_email": "",
                "status_updated_since": None,
                "assigned_since": None,
            }
            for i in range(1, tickets + 1)
        ),
    )
    _batched(
        database,
        "diamante_comment",
        (
            {
                "id": i,
                "ticket_id": 1 + i % tickets,
                "content": "A reply that says something useful. " * 4,
                "author_id": f"oro_{1 + i % staff}" if i % 2 else f"diamante_{1 + i % customers}",
                "created_at": stamp,
                "updated_at": stamp,
                "private": i % 5 == 0,
            }
            for i in range(1, tickets * comments_per_ticket + 1)
        ),
    )
    _batched(
        database,
        "diamante_watcher_list",
        ({"id": i, "ticket_id": i, "user_type": f"oro_{1 + i % staff}"} for i in range(1, tickets + 1)),
    )


def target_url():
    """A scratch target database beside DATABASE_URL's, or a temporary SQLite file."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path=f"/bench_import_{uuid.uuid4().hex[:10]}")), parts
    return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", None


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--comments-per-ticket", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 tickets: check that the benchmark runs")
    args = parser.parse_args()
    tickets = 2000 if args.quick else args.tickets

    source = ScratchDatabase("2.x")
    url, postgres = target_url()
    try:
        started = time.monotonic()
        generate(source, tickets, args.comments_per_ticket)
        print(f"source generated in {time.monotonic() - started:.1f} s", flush=True)
        if postgres is not None:
            import psycopg

            admin = urlunsplit(postgres._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {urlsplit(url).path.strip('/')}")
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        stdout = io.StringIO()
        started = time.monotonic()
        call_command("import_diamantedesk", "--source", source.url, stdout=stdout, stderr=sys.stderr)
        seconds = time.monotonic() - started
        print(stdout.getvalue())
        rows = tickets * (2 + args.comments_per_ticket)
        print(
            f"imported {rows} tickets, comments and watchers in {seconds:.1f} s: {rows / seconds:.0f} rows/s"
        )
    finally:
        from django.db import connections

        connections.close_all()
        source.drop()
        if postgres is not None:
            import psycopg

            with psycopg.connect(
                urlunsplit(postgres._replace(path="/postgres")), autocommit=True
            ) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.strip('/')}")


if __name__ == "__main__":
    main()
