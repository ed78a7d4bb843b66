"""Comment representation and input rules."""

import re

from rest_framework import serializers

from desk.api.errors import NotFoundError
from desk.api.fields import find_person
from desk.api.serializers import DeskModelSerializer
from desk.attachments.serializers import AttachmentSerializer, AttachmentsInputMixin
from desk.comments.models import Comment
from desk.tickets.models import Status

TICKET_NOT_FOUND = "Ticket loading failed, ticket not found."
_TICKET_ID = re.compile(r"^\d{1,18}$")
_STATUS_CHOICES = ", ".join(Status.values)


def parse_status(value):
    """The ticket status a value or label names in any case (`In progress`, `on_hold`); None if none."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    for status in Status:
        if text in (status.value, status.label.lower()):
            return status.value
    return None


class TicketStatusField(serializers.Field):
    """A ticket status by value or label; an empty value means no change."""

    def to_internal_value(self, data):
        if data == "":
            return None
        status = parse_status(data)
        if status is None:
            raise serializers.ValidationError(f"Should be one of: {_STATUS_CHOICES}.")
        return status

    def to_representation(self, value):
        return value


class TicketField(serializers.Field):
    """A ticket given by id and shown as its id; one missing, or out of the caller's reach, is 404."""

    def to_internal_value(self, data):
        text = str(data).strip() if isinstance(data, int | str) else ""
        if not _TICKET_ID.match(text):
            raise serializers.ValidationError("Should be a ticket id.")
        # The view narrows the tickets to those the caller may comment on.
        ticket = self.context["tickets"].filter(pk=int(text)).first()
        if ticket is None:
            raise NotFoundError(TICKET_NOT_FOUND)
        return ticket

    def get_attribute(self, instance):
        return instance.ticket_id

    def to_representation(self, value):
        return value


class CommentAuthorField(serializers.Field):
    """Written as `oro_N` or `diamante_N`, shown as the bare id read from the author columns."""

    def to_internal_value(self, data):
        return find_person(data)

    def get_attribute(self, instance):
        # The id columns answer, so a list never loads the authors.
        return instance

    def to_representation(self, value):
        return value.author_user_id or value.author_customer_id


class CommentSerializer(AttachmentsInputMixin, DeskModelSerializer):
    """A comment with its attachments, as staff write it: the author is named in the body."""

    attachments = AttachmentSerializer(many=True, read_only=True)
    author = CommentAuthorField()
    author_type = serializers.SerializerMethodField()
    ticket = TicketField()
    ticket_status = TicketStatusField(write_only=True, required=False, allow_null=True)
    private = serializers.BooleanField(required=False)

    class Meta:
        model = Comment
        fields = [
            "attachments",
            "author",
            "author_type",
            "content",
            "created_at",
            "id",
            "private",
            "ticket",
            "ticket_status",
            "updated_at",
        ]
        read_only_fields = ["created_at", "id", "updated_at"]

    def get_author_type(self, comment):
        return "oro" if comment.author_user_id else "diamante"


class CustomerCommentSerializer(CommentSerializer):
    """A comment as a customer writes it: the author is always the caller, whatever the body says."""

    author = CommentAuthorField(read_only=True)


class CommentUpdateSerializer(CommentSerializer):
    """A comment as an update sees it: ticket and author are fixed once written."""

    author = CommentAuthorField(read_only=True)
    ticket = TicketField(read_only=True)
