"""Writes on customers that span rows."""

from django.db import transaction
from django.utils import timezone

from wsse_auth.models import ApiKey


def customer_delete(*, customer):
    """Delete a customer softly, as DiamanteDesk 2.0 did: it stops signing in and leaves lists and lookups.

    Its tickets and comments keep it as their reporter or author; it stops watching tickets.
    """
    now = timezone.now()
    with transaction.atomic():
        customer.deleted_at = now
        customer.save(update_fields=["deleted_at", "updated_at"])
        ApiKey.objects.filter(customer=customer, revoked_at__isnull=True).update(revoked_at=now)
        customer.watching.all().delete()
    return customer
