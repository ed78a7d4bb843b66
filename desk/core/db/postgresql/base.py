"""Django's PostgreSQL backend; a reused connection is checked by looking at its socket, not by a query."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    """The stock backend, whose per-request `SELECT 1` health check was a round trip on every request."""

    def is_usable(self):
        """Ask the server only when the connection may be broken: after an error, or when it spoke unasked.

        An idle connection has nothing to read. A server that restarted, or a backend that was terminated,
        closes the socket or sends its last message, which makes it readable: then the real `SELECT 1`
        decides. A peer that vanished without a word is caught by the keepalive and user timeouts.
        """
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        if self.errors_occurred:
            return super().is_usable()
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable or super().is_usable()
