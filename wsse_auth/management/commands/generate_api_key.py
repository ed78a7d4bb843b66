"""`manage.py generate_api_key <username-or-email> [--customer]`: make a key and print it last."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wsse_auth.services import api_key_create, find_principal


class Command(BaseCommand):
    help = "Generate a new API key for a staff user (username or email) or, with --customer, a customer."

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="staff username or email; customer email with --customer")
        parser.add_argument("--customer", action="store_true", help="the key is for a customer")
        parser.add_argument("--label", default="", help="a note to tell keys apart")

    def handle(self, *args, identifier, customer, label, **options):
        try:
            owner = find_principal(identifier=identifier, customer=customer)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        api_key = api_key_create(owner=owner, label=label)
        kind = "customer" if customer else "staff user"
        self.stdout.write(f"New API key for {kind} {owner} (shown once, keep it safe):")
        self.stdout.write(api_key.key)
