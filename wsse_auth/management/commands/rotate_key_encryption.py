"""Encrypt every API key again under the current DESK_KEY_ENCRYPTION_KEY."""

from django.core.management.base import BaseCommand
from django.db import connection

from wsse_auth.encryption import rewrite_stored_keys, rotate


class Command(BaseCommand):
    help = (
        "Encrypt every stored API key again under DESK_KEY_ENCRYPTION_KEY (the old encryption keys in "
        "DESK_KEY_ENCRYPTION_OLD_KEYS must still be listed); afterwards the old ones can be removed."
    )

    def handle(self, *args, **options):
        count = rewrite_stored_keys(connection, rotate)
        self.stdout.write(f"Encrypted {count} API key(s) under the current key.")
