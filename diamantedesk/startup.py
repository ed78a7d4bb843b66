"""`python -m diamantedesk.startup`: apply migrations before serving, once, however many replicas start."""

import fcntl
import os
from contextlib import contextmanager

# Any constant shared by every replica: the PostgreSQL advisory lock that serialises their migrations.
MIGRATION_LOCK_ID = 0x6465736B


@contextmanager
def migration_lock():
    """Hold a lock that every replica's migration takes: a PostgreSQL advisory lock, or a file lock."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
        return
    # SQLite lives on one host, where processes can share a lock file next to the database.
    with open(os.path.join(settings.VAR_DIR, "migrate.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate_on_start(stdout=None):
    """Apply pending migrations; replicas starting together wait in turn, and the later ones find none."""
    from django.core.management import call_command

    with migration_lock():
        call_command("migrate", interactive=False, verbosity=1, stdout=stdout)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")
    django.setup()
    migrate_on_start()
