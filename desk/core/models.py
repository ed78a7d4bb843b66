"""Rows for what must be shared by every host on one machine's database: token buckets."""

from django.db import models


class Bucket(models.Model):
    """A token bucket: how many tokens it held at `updated_at` (seconds since the epoch)."""

    key = models.CharField(max_length=200, primary_key=True)
    tokens = models.FloatField()
    updated_at = models.FloatField()

    def __str__(self):
        return f"{self.key}: {self.tokens:.1f}"
