"""Comments on tickets, by staff users or customers, public or private."""

from django.conf import settings
from django.db import models

from desk.attachments.owners import AttachmentOwner
from desk.tickets.models import Ticket
from desk.users.models import is_customer
from desk.users.people import AUTHOR

COMMENT_NOT_FOUND = "Comment loading failed, comment not found."


class CommentQuerySet(models.QuerySet):
    """Comments, narrowed to what a caller may reach."""

    def visible_to(self, principal):
        """Every comment for staff; for a customer, the public comments on tickets it reported."""
        if not is_customer(principal):
            return self
        return self.filter(ticket__in=Ticket.objects.visible_to(principal), private=False)


class Comment(AttachmentOwner, models.Model):
    """A comment on a ticket."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="comments")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    author_customer = models.ForeignKey(
        "users.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    content = models.TextField()
    private = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            AUTHOR.constraint("comments_comment_one_author"),
        ]

    def __str__(self):
        author = "staff" if self.author_user_id else "customer"
        return f"#{self.pk} by {author}{' (private)' if self.private else ''}"

    def clean(self):
        """A comment has one author: a staff user or a customer."""
        AUTHOR.check(self)

    @property
    def author(self):
        """The staff user or customer who wrote the comment."""
        return AUTHOR.of(self)
