"""API keys of staff users and customers, and the database nonce store."""

import secrets

from django.conf import settings
from django.db import models

from desk.users.people import KEY_OWNER
from wsse_auth.encryption import EncryptedKeyField


def new_api_key():
    """A new API key: 40 lowercase hex characters."""
    return secrets.token_hex(20)


class ApiKey(models.Model):
    """A revocable API key belonging to one staff user or one customer."""

    # New keys are 40 hex; imported ones keep the original's secret verbatim, whatever its form. Not unique:
    # the original's customer secrets are unsalted hashes of passwords, so two customers can share one.
    # Keys are found by their owner's name, never by value; they are stored encrypted.
    key = EncryptedKeyField(default=new_api_key, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    customer = models.ForeignKey(
        "users.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    label = models.CharField(max_length=100, blank=True)
    rate_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Requests per DESK_RATE_LIMIT_PERIOD for this key; empty: DESK_RATE_LIMIT; 0: no limit.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"
        constraints = [
            KEY_OWNER.constraint("wsse_auth_apikey_one_owner"),
        ]

    def __str__(self):
        return f"{self.key[:6]}… of {self.owner}"

    def clean(self):
        """A key belongs to one person: a staff user or a customer."""
        KEY_OWNER.check(self)

    @property
    def owner(self):
        """The staff user or customer the key belongs to."""
        return KEY_OWNER.of(self)

    @property
    def is_active(self):
        """Whether the key may still sign requests."""
        return self.revoked_at is None


class Nonce(models.Model):
    """A nonce already used, kept until it could no longer pass the lifetime check."""

    fingerprint = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.fingerprint[:12]}… until {self.expires_at:%Y-%m-%d %H:%M:%S}"
