"""SQLite's LIKE folds case for ASCII only; this LIKE folds it for every script (Cyrillic keys, names)."""

import re
from functools import lru_cache

from django.db.backends.signals import connection_created


@lru_cache(maxsize=512)
def _pattern(like, escape):
    """The regular expression a LIKE pattern means, case folded."""
    parts, index = [], 0
    while index < len(like):
        char = like[index]
        if escape and char == escape and index + 1 < len(like):
            parts.append(re.escape(like[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern, value, escape=None):
    """SQL `value LIKE pattern [ESCAPE escape]`, case-insensitive in every script."""
    if pattern is None or value is None:
        return None
    return _pattern(str(pattern).casefold(), escape).fullmatch(str(value).casefold()) is not None


def install_unicode_like(sender, connection, **kwargs):
    """Replace LIKE on each new SQLite connection; other databases fold case themselves."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.connection.create_function("like", 3, unicode_like, deterministic=True)


connection_created.connect(install_unicode_like, dispatch_uid="desk.core.sqlite_like")
