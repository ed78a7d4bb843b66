"""`manage.py purge_nonces`: delete expired nonces from the database store."""

from django.core.management.base import BaseCommand

from wsse_auth.nonce_store import DatabaseNonceStore


class Command(BaseCommand):
    help = "Delete expired nonces from the database nonce store (the Redis store expires them itself)."

    def handle(self, *args, **options):
        deleted = DatabaseNonceStore().purge()
        self.stdout.write(f"Deleted {deleted} expired nonces.")
