"""Attachment endpoints under a ticket or a comment: list, add, read, delete."""

from django.core.exceptions import TooManyFilesSent
from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response

from desk.api.errors import NotFoundError
from desk.api.permissions import DeskPermission
from desk.api.viewsets import DeskViewSet
from desk.attachments.models import Attachment
from desk.attachments.serializers import AttachmentSerializer, AttachmentUploadSerializer
from desk.attachments.services import attachment_delete, attachments_create
from desk.attachments.validation import AttachmentLimitExceeded, too_many_files_message
from desk.comments.models import COMMENT_NOT_FOUND, Comment
from desk.tickets.models import TICKET_NOT_FOUND, Ticket
from desk.users.models import is_customer


class AttachmentPermission(DeskPermission):
    """The shared rules, plus what its ticket or comment lets a customer add or delete."""

    def has_permission(self, request, view):
        allowed = super().has_permission(request, view)
        if not allowed or not is_customer(request.user):
            return allowed
        rules = {"POST": view.customer_may_add, "DELETE": view.customer_may_delete}
        # The holder comes first: one out of the customer's reach is a 404, not a 403.
        return request.method not in rules or rules[request.method](view.get_owner())


class AttachmentViewSet(DeskViewSet):
    """The attachments of one ticket or comment, all in one bare array as the original listed them."""

    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    # The ticket and comment representations embed every attachment; the list does the same.
    pagination_class = None
    filter_backends = []
    customer_actions = ("list", "retrieve", "create", "destroy")
    path_parameters = {
        "attachmentId": {"schema": {"type": "integer", "minimum": 0}, "description": "Attachment id."}
    }
    permission_classes = [AttachmentPermission]
    attachment_actions = ("create",)
    # POST takes this body and answers the array of attachments it made.
    upload_serializer = AttachmentUploadSerializer
    owner_field = "ticket"

    def customer_may_add(self, owner):
        """Whether the calling customer may add attachments to this ticket or comment."""
        return False

    def customer_may_delete(self, owner):
        """Whether the calling customer may delete attachments of this ticket or comment."""
        return False

    def get_queryset(self):
        return super().get_queryset().filter(**{self.owner_field: self.get_owner()}).order_by("id")

    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def create(self, request, *args, **kwargs):
        owner = self.get_owner()
        try:
            data = request.data
        except TooManyFilesSent:
            # Django's own ceiling on files in one multipart body is a count limit too.
            raise AttachmentLimitExceeded(too_many_files_message()) from None
        upload = self.upload_serializer(data=data)
        upload.is_valid(raise_exception=True)
        try:
            inputs = upload.validated_data["attachments_input"]
            attachments = attachments_create(inputs=inputs, **{self.owner_field: owner})
        except IntegrityError:
            # The ticket or comment was deleted after it was looked up; the insert failed, the files are gone.
            raise NotFoundError(self.owner_not_found_message) from None
        return Response(self.get_serializer(attachments, many=True).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        attachment_delete(attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def holder_summaries(holder):
    """The OpenAPI summaries of the attachment routes of a ticket or a comment."""
    return {
        "list": f"Attachments of a {holder}",
        "retrieve": f"An attachment of a {holder}",
        "create": f"Attach files to a {holder}",
        "destroy": f"Delete an attachment of a {holder}",
    }


class TicketAttachmentViewSet(AttachmentViewSet):
    """Attachments of a ticket: customers read and add them on tickets they reported, never delete."""

    schema_resource = "ticket attachments"
    summaries = holder_summaries("ticket")
    owner_field = "ticket"
    owner_model = Ticket
    owner_not_found_message = TICKET_NOT_FOUND
    not_found_message = "Attachment loading failed. Ticket has no such attachment."

    def customer_may_add(self, owner):
        return True  # the ticket is theirs: get_owner found it among those they reach


class CommentAttachmentViewSet(AttachmentViewSet):
    """Attachments of a comment: customers see those of public comments on their tickets, change their own."""

    schema_resource = "comment attachments"
    summaries = holder_summaries("comment")
    owner_field = "comment"
    owner_model = Comment
    owner_not_found_message = COMMENT_NOT_FOUND
    not_found_message = "Attachment loading failed. Comment has no such attachment."

    def customer_may_add(self, owner):
        return owner.author_customer_id == self.request.user.pk

    customer_may_delete = customer_may_add
