"""API keys encrypted at rest: Fernet (AES-128-CBC with HMAC-SHA256) under keys from the environment.

The server needs each key in the clear to check WSSE digests, so keys cannot be hashed; encrypted, a
database dump holds no usable key without `DESK_KEY_ENCRYPTION_KEY`. Old encryption keys listed in
`DESK_KEY_ENCRYPTION_OLD_KEYS` still decrypt, and `manage.py rotate_key_encryption` moves every key to
the current one.
"""

import logging
import secrets
from functools import cache, lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.db import models, transaction

logger = logging.getLogger("wsse_auth")


@cache
def _cipher(current, old):
    return MultiFernet([Fernet(key) for key in (current, *old)])


def cipher():
    """The current encryption key first, then the old ones."""
    return _cipher(settings.DESK_KEY_ENCRYPTION_KEY, tuple(settings.DESK_KEY_ENCRYPTION_OLD_KEYS))


def encrypt(text):
    return cipher().encrypt(text.encode()).decode("ascii")


# Decrypted once per process and stored value: the digest check costs what it did before encryption.
@lru_cache(maxsize=4096)
def decrypt(token):
    return cipher().decrypt(token.encode()).decode()


def rotate(token):
    """The same key, encrypted again under the current encryption key."""
    return cipher().rotate(token.encode()).decode("ascii")


class EncryptedKeyField(models.TextField):
    """A text column holding its value encrypted; in Python the value is the key in the clear."""

    def get_internal_type(self):
        # Its own type, so that bulk writers prepare it (encrypt) instead of passing the text through.
        return "EncryptedKeyField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return decrypt(value)
        except InvalidToken:
            logger.error(
                "An API key cannot be decrypted: DESK_KEY_ENCRYPTION_KEY or DESK_KEY_ENCRYPTION_OLD_KEYS "
                "must hold the key it was encrypted with"
            )
            # Unguessable and new on every read: that key signs nothing until the keys are configured.
            return secrets.token_hex(32)


def rewrite_stored_keys(connection, change):
    """Every stored key through `change` (text in, text or None to keep out), by raw SQL in one transaction.

    Raw, since the model's field would decrypt what it reads. Returns how many keys changed.
    """
    table, key = connection.ops.quote_name("wsse_auth_apikey"), connection.ops.quote_name("key")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {key} FROM {table}")
        rows = [(change(value), pk) for pk, value in cursor.fetchall()]
        rows = [(value, pk) for value, pk in rows if value is not None]
        if rows:
            cursor.executemany(f"UPDATE {table} SET {key} = %s WHERE id = %s", rows)
    return len(rows)


def check_encryption_keys(app_configs, **kwargs):
    """A system check: every configured encryption key is one Fernet takes."""
    try:
        cipher()
    except ValueError as exc:
        return [
            checks.Error(
                f"DESK_KEY_ENCRYPTION_KEY or DESK_KEY_ENCRYPTION_OLD_KEYS is not a Fernet key: {exc}",
                hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="wsse_auth.E001",
            )
        ]
    return []
