"""Attachment files in Django's storage, kept in step with the database: removed when their rows are gone.

Files are written before the rows that name them are committed. If that transaction then rolls back (an
exception in the caller, a savepoint rolled back, a failed COMMIT), the files are deleted at the end of
the request; rows that are deleted lose their files once the deletion commits. A process killed between
the two leaves files without rows, which `manage.py purge_attachment_files` removes.
"""

import logging
from functools import partial

from asgiref.local import Local
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger("desk.attachments")

_state = Local()


def delete_files(storage, names):
    """Delete files from storage, logging and going on past any failure."""
    for name in names:
        try:
            storage.delete(name)
        # Called after a commit: a storage outage must not fail the request that already succeeded.
        except Exception:
            logger.exception("Could not delete attachment file %s", name)


def delete_files_on_commit(storage, names, using=DEFAULT_DB_ALIAS):
    """Delete files once the current transaction commits (at once outside one); never on rollback."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(partial(delete_files, storage, names), using=using, robust=True)


class _Uncommitted:
    """Files written inside a transaction; its on-commit callback marks them as kept."""

    def __init__(self, storage, names, using):
        self.storage = storage
        self.names = names
        self.using = using
        self.committed = False

    def __call__(self):
        self.committed = True

    def still_pending(self):
        """Whether the transaction is still open: the callback waits in the connection's on-commit queue."""
        return any(entry[1] is self for entry in connections[self.using].run_on_commit)


def keep_only_if_committed(storage, names, using=DEFAULT_DB_ALIAS):
    """Have files just written deleted at the end of the request unless the open transaction commits."""
    names = [name for name in names if name]
    if not names or not connections[using].in_atomic_block:
        return  # Autocommit: the rows naming these files are already committed.
    entry = _Uncommitted(storage, names, using)
    transaction.on_commit(entry, using=using)
    if not hasattr(_state, "uncommitted"):
        _state.uncommitted = []
    _state.uncommitted.append(entry)


def discard_uncommitted_files(**kwargs):
    """Delete the files of transactions that rolled back; run at the end of every request."""
    entries = getattr(_state, "uncommitted", None)
    if not entries:
        return
    waiting = []
    for entry in entries:
        if entry.committed:
            continue
        if entry.still_pending():
            waiting.append(entry)
        else:
            # The callback left the queue without running: Django drops it on rollback.
            delete_files(entry.storage, entry.names)
    _state.uncommitted = waiting
