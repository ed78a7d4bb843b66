"""Migrations at container start: applied once, with replicas that start together taking turns."""

import io
import threading

import pytest
from django.db import connections

from diamantedesk.startup import migrate_on_start, migration_lock

pytestmark = pytest.mark.django_db


def test_migrate_on_start_applies_what_is_pending():
    out = io.StringIO()
    migrate_on_start(stdout=out)
    assert "No migrations to apply." in out.getvalue()


def test_a_second_replica_waits_for_the_first():
    held, release, entered = threading.Event(), threading.Event(), threading.Event()

    def first():
        try:
            with migration_lock():
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    def second():
        try:
            with migration_lock():
                entered.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert held.wait(10)
    threads[1].start()
    try:
        assert not entered.wait(0.5), "the second holder got the lock while the first held it"
    finally:
        release.set()
    assert entered.wait(10)
    for thread in threads:
        thread.join(10)
