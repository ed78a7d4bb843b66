"""Writes on customers that span rows."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from desk.events.log import event_deletion, event_record
from desk.users.models import Customer
from wsse_auth.models import ApiKey


def customer_for_email(*, email):
    """The live customer with this email, in any case; made (without names or keys) when there is none."""
    try:
        with transaction.atomic():
            existing = Customer.objects.live().filter(email__iexact=email).first()
            if existing is not None:
                return existing
            customer = Customer.objects.create(email=email, first_name="", last_name="")
            event_record(customer, "created")
            return customer
    except IntegrityError:  # made by a concurrent request a moment ago
        return Customer.objects.live().get(email__iexact=email)


def customer_delete(*, customer):
    """Delete a customer softly, as DiamanteDesk 2.0 did: it stops signing in and leaves lists and lookups.

    Its tickets and comments keep it as their reporter or author; it stops watching tickets.
    """
    now = timezone.now()
    with transaction.atomic(), event_deletion(customer):
        customer.deleted_at = now
        customer.save(update_fields=["deleted_at", "updated_at"])
        ApiKey.objects.filter(customer=customer, revoked_at__isnull=True).update(revoked_at=now)
        customer.watching.all().delete()
    return customer
