"""Writes on API keys, shared by the admin and the management commands."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from desk.users.models import Customer, User, is_customer
from desk.users.people import KEY_OWNER
from wsse_auth.models import ApiKey


def find_principal(*, identifier, customer=False):
    """The staff user with that username or email, or with `customer` the customer with that email."""
    if customer:
        found = Customer.objects.live().filter(email__iexact=identifier).first()
    else:
        found = (
            User.objects.filter(username=identifier).first()
            or User.objects.filter(email__iexact=identifier).exclude(email="").first()
        )
    if found is None:
        kind = "customer" if customer else "staff user"
        raise ValidationError(f"No {kind} found for {identifier!r}.")
    return found


def api_key_create(*, owner, label=""):
    """A new active API key for a staff user or a customer."""
    api_key = ApiKey(label=label)
    KEY_OWNER.assign(api_key, owner)
    api_key.save()
    return api_key


def api_key_revoke(*, api_key):
    """Revoke a key; it stops working on the next request."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


def newest_active_key(*, owner):
    """The newest key of the owner that is not revoked, or None."""
    owner_filter = KEY_OWNER.matching("diamante" if is_customer(owner) else "oro", owner.pk)
    return ApiKey.objects.filter(owner_filter, revoked_at__isnull=True).order_by("-created_at", "-id").first()
