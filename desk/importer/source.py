"""The original DiamanteDesk database: connecting, telling 1.0.x from 2.x, and streaming its rows."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors

# Rows fetched from the server per round trip while streaming; the cursor never holds a table whole.
FETCH_SIZE = 2000
REQUIRED_TABLES = (
    "oro_user",
    "oro_user_api",
    "diamante_user",
    "diamante_api_user",
    "diamante_branch",
    "diamante_ticket",
    "diamante_ticket_history",
    "diamante_comment",
    "diamante_attachment",
    "diamante_ticket_attachments",
    "diamante_comment_attachments",
)


class SourceError(Exception):
    """The source cannot be read as a DiamanteDesk database."""


def connection_options(url):
    """PyMySQL connect() arguments from `mysql://user:password@host:3306/dbname`."""
    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
        raise SourceError(f"--source should look like mysql://user:password@host:3306/dbname, not {url!r}.")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "database": unquote(parts.path.strip("/")),
        "charset": "utf8mb4",
    }


def utc(value):
    """A DATETIME column (naive UTC, as the original stores it) as an aware datetime; None for zero dates."""
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else None


@dataclass
class Layout:
    """Which of the 2.x tables and columns the source has; a hand-upgraded 1.0 database may have some."""

    columns: dict = field(default_factory=dict)

    def has_table(self, table):
        return table in self.columns

    def has(self, table, column):
        return column in self.columns.get(table, ())

    @property
    def markers_2x(self):
        """The columns and tables 2.x added, each present or not."""
        return {
            "diamante_branch.number": self.has("diamante_branch", "number"),
            "diamante_ticket.reporter_email": self.has("diamante_ticket", "reporter_email"),
            "diamante_user.is_deleted": self.has("diamante_user", "is_deleted"),
            "diamante_watcher_list": self.has_table("diamante_watcher_list"),
        }

    @property
    def version(self):
        """`1.0.x`, `2.x`, or `mixed` for a 1.0 database upgraded by hand."""
        present = set(self.markers_2x.values())
        if present == {True}:
            return "2.x"
        return "1.0.x" if present == {False} else "mixed"

    def missing_tables(self):
        return [table for table in REQUIRED_TABLES if not self.has_table(table)]


class Source:
    """A read-only, consistent snapshot of the original database."""

    def __init__(self, url):
        try:
            self.connection = pymysql.connect(**connection_options(url), autocommit=False)
        except pymysql.MySQLError as exc:
            raise SourceError(f"Cannot connect to the source database: {exc}") from exc
        with self.connection.cursor() as cursor:
            # A long import may pause between fetches; the server must not drop the streaming cursor.
            cursor.execute("SET SESSION net_write_timeout = 3600, net_read_timeout = 3600")
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Every table is read as of one moment, even if the original is still running.
            cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        self.layout = self._layout()

    def _layout(self):
        columns = {}
        for table, column in self.rows(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
        ):
            columns.setdefault(table, set()).add(column)
        return Layout(columns)

    def rows(self, sql, params=None):
        """Stream a query's rows as tuples through a server-side cursor; exhaust it before the next query."""
        cursor = self.connection.cursor(pymysql.cursors.SSCursor)
        try:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(FETCH_SIZE):
                yield from batch
        finally:
            cursor.close()

    def scalar(self, sql, params=None):
        """The first column of the first row of a query."""
        for row in self.rows(sql, params):
            return row[0]
        return None

    def count(self, table):
        return self.scalar(f"SELECT COUNT(*) FROM `{table}`")

    def close(self):
        self.connection.close()
