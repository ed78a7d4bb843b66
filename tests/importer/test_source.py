"""Reading the source: its URL, telling 1.0.x from 2.x by the columns, refusing what is no DiamanteDesk."""

from types import SimpleNamespace

import pytest
from django.core.management.base import CommandError

from desk.importer.source import Layout, Source, SourceError, connection_options
from desk.users.models import User
from tests.importer.conftest import run_command


def test_url_gives_connection_options():
    options = connection_options("mysql://desk:p%40ss@db.local:3307/diamante")
    assert options == {
        "host": "db.local",
        "port": 3307,
        "user": "desk",
        "password": "p@ss",
        "database": "diamante",
        "charset": "utf8mb4",
    }


@pytest.mark.parametrize("url", ["postgres://u@h/db", "mysql://u@h", "diamante"])
def test_bad_url_is_refused(url):
    with pytest.raises(SourceError, match="mysql://user:password@host:3306/dbname"):
        connection_options(url)


def test_versions_told_apart_by_columns(source_10, source_2x):
    first, second = Source(source_10.url), Source(source_2x.url)
    try:
        assert first.layout.version == "1.0.x" and second.layout.version == "2.x"
        assert not any(first.layout.markers_2x.values()) and all(second.layout.markers_2x.values())
    finally:
        first.close()
        second.close()


def test_a_hand_upgraded_database_is_mixed():
    layout = Layout({"diamante_branch": {"id", "number"}, "diamante_ticket": {"id"}})
    assert layout.version == "mixed"


@pytest.mark.django_db
def test_no_diamantedesk_tables_is_refused(scratch):
    empty = scratch()
    empty.execute("DROP TABLE diamante_comment_attachments")
    empty.execute("DROP TABLE diamante_comment")
    with pytest.raises(CommandError, match="tables missing: diamante_comment, diamante_comment_attachments"):
        run_command(empty)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_unreachable_source_is_a_clear_error():
    gone = SimpleNamespace(url="mysql://root@127.0.0.1:3306/no_such_database_here")
    with pytest.raises(CommandError, match="Cannot connect to the source database"):
        run_command(gone)
