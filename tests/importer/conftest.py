"""Scratch MariaDB sources for the importer tests, made once per test run and dropped at its end."""

import io

import pymysql
import pytest
from django.core.management import call_command

from tests.importer import sample
from tests.importer.scratch import ScratchDatabase, server_connection


def _server_up():
    try:
        server_connection().close()
    except pymysql.MySQLError as exc:
        pytest.fail(f"The importer tests need MariaDB (see .ci/run, which starts it): {exc}")


@pytest.fixture(scope="session")
def source_10():
    """The sample installation in the DiamanteDesk 1.0.x layout."""
    _server_up()
    database = ScratchDatabase("1.0.x")
    sample.load(database)
    yield database
    database.drop()


@pytest.fixture(scope="session")
def source_2x():
    """The sample installation in the DiamanteDesk 2.x layout."""
    _server_up()
    database = ScratchDatabase("2.x")
    sample.load(database, v2=True)
    yield database
    database.drop()


@pytest.fixture
def scratch():
    """An empty 1.0.x-layout database of the test's own, for data made to fail or clash."""
    _server_up()
    made = []

    def make(version="1.0.x"):
        made.append(ScratchDatabase(version))
        return made[-1]

    yield make
    for database in made:
        database.drop()


@pytest.fixture
def attachments_root(tmp_path):
    return sample.write_files(tmp_path / "old-attachments")


class Run:
    """What one run of the command printed."""

    def __init__(self, stdout, stderr):
        self.stdout, self.stderr = stdout, stderr


def run_command(source, *args, attachments_root=None):
    """Run import_diamantedesk against a scratch source; returns what it printed."""
    stdout, stderr = io.StringIO(), io.StringIO()
    options = ["--source", source.url, *args]
    if attachments_root is not None:
        options += ["--attachments-root", str(attachments_root)]
    call_command("import_diamantedesk", *options, stdout=stdout, stderr=stderr)
    return Run(stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def imported_10(db, source_10, attachments_root):
    """The 1.0.x sample imported, with admin as superuser."""
    return run_command(source_10, "--superuser", "admin", attachments_root=attachments_root)


@pytest.fixture
def imported_2x(db, source_2x, attachments_root):
    """The 2.x sample imported, with admin as superuser."""
    return run_command(source_2x, "--superuser", "admin", attachments_root=attachments_root)
