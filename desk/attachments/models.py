"""Files attached to a ticket or a comment, stored under random names."""

import secrets

from django.db import models

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import is_customer


def new_download_hash():
    """A random 128-bit download hash as 32 lowercase hex characters."""
    return secrets.token_hex(16)


def file_path(instance, filename):
    """Store files under a random name: the client's filename is kept only as data."""
    return f"attachments/{instance.hash[:2]}/{secrets.token_hex(16)}"


def thumbnail_path(instance, filename):
    """Store thumbnails under a random name beside the files."""
    return f"thumbnails/{instance.hash[:2]}/{secrets.token_hex(16)}.png"


class AttachmentQuerySet(models.QuerySet):
    """Attachments, narrowed to what a caller may reach: through the ticket or comment they belong to."""

    def visible_to(self, principal):
        """Every attachment for staff; for a customer, those of tickets and comments it may see."""
        if not is_customer(principal):
            return self
        return self.filter(
            models.Q(ticket__in=Ticket.objects.visible_to(principal))
            | models.Q(comment__in=Comment.objects.visible_to(principal))
        )


class Attachment(models.Model):
    """A file on a ticket or on a comment."""

    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    hash = models.CharField(max_length=64, unique=True, default=new_download_hash, editable=False)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=file_path, max_length=255)
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    size = models.PositiveBigIntegerField(default=0)
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ticket__isnull=False, comment__isnull=True)
                | models.Q(ticket__isnull=True, comment__isnull=False),
                name="attachments_attachment_one_owner",
            ),
        ]

    def __str__(self):
        return self.filename
