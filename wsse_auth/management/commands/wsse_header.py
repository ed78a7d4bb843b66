"""`manage.py wsse_header <username-or-email> [--customer]`: print a ready X-WSSE header for curl."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from desk.users.models import Customer
from wsse_auth.client import make_header
from wsse_auth.services import find_principal, newest_active_key


class Command(BaseCommand):
    help = "Print an X-WSSE header signed with the user's newest active API key (valid for a few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="staff username or email; customer email with --customer")
        parser.add_argument("--customer", action="store_true", help="sign as a customer")

    def handle(self, *args, identifier, customer, **options):
        try:
            owner = find_principal(identifier=identifier, customer=customer)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        api_key = newest_active_key(owner=owner)
        if api_key is None:
            raise CommandError(f"{owner} has no active API key; run generate_api_key first.")
        username = owner.email if isinstance(owner, Customer) else owner.username
        self.stdout.write(f"X-WSSE: {make_header(username, api_key.key)}")
