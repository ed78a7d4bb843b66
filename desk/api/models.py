"""What the plumbing keeps: the answers of writes sent with an `Idempotency-Key`."""

from django.db import models


class IdempotentRequest(models.Model):
    """One write sent with an `Idempotency-Key` under one API key: claimed when it starts, its answer
    stored in the same transaction as the write, so that a retry gets that answer instead of a second run."""

    api_key_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    # sha256 of the method, the path and the body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    finished = models.BooleanField(default=False)
    status = models.PositiveSmallIntegerField(null=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key_id", "key"], name="desk_api_idempotent_request_unique")
        ]

    def __str__(self):
        return f"{self.key} ({'answered' if self.finished else 'running'})"
