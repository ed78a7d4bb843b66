"""Comment representation and input rules."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from desk.api.fields import LabelChoiceField, RelatedIdField
from desk.api.serializers import DeskModelSerializer
from desk.attachments.serializers import AttachmentSerializer, AttachmentsInputField
from desk.comments.models import Comment
from desk.tickets.models import TICKET_NOT_FOUND, Status
from desk.users.fields import PERSON_REF_SCHEMA, find_person
from desk.users.people import AUTHOR, USER_NOT_FOUND


class CommentAuthorField(serializers.Field):
    """Written as `oro_N` or `diamante_N`, shown as the bare id read from the author columns."""

    not_found = USER_NOT_FOUND
    pair = AUTHOR

    def to_internal_value(self, data):
        return find_person(data)

    def get_attribute(self, instance):
        # The id columns answer, so a list never loads the authors.
        return instance

    def to_representation(self, value):
        return AUTHOR.id(value)


class CommentSerializer(DeskModelSerializer):
    """A comment with its attachments, as staff write it: the author is named in the body."""

    attachments = AttachmentSerializer(many=True, read_only=True, source="attachment_list")
    attachments_input = AttachmentsInputField()
    author = CommentAuthorField()
    author_type = serializers.SerializerMethodField()
    ticket = RelatedIdField(noun="ticket", not_found=TICKET_NOT_FOUND, context_queryset="tickets")
    # An empty status (as forms send it) means no change.
    ticket_status = LabelChoiceField(
        Status, empty_means_none=True, write_only=True, required=False, allow_null=True
    )
    private = serializers.BooleanField(required=False)

    class Meta:
        model = Comment
        fields = [
            "attachments",
            "attachments_input",
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
        return AUTHOR.kind(comment)


class CustomerCommentSerializer(CommentSerializer):
    """A comment as a customer writes it: the author is always the caller, whatever the body says."""

    author = CommentAuthorField(read_only=True)
    caller_fields = ("author",)


class CommentUpdateSerializer(CommentSerializer):
    """A comment as an update sees it: ticket and author are fixed once written."""

    attachments_input = None
    author = CommentAuthorField(read_only=True)
    ticket = RelatedIdField(noun="ticket", not_found=TICKET_NOT_FOUND, read_only=True)

    class Meta(CommentSerializer.Meta):
        fields = [name for name in CommentSerializer.Meta.fields if name != "attachments_input"]


class CommentAuthorFieldSchema(OpenApiSerializerFieldExtension):
    """A comment's author: shown as the bare id (see `author_type`), written as `oro_N` or `diamante_N`."""

    target_class = "desk.comments.serializers.CommentAuthorField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {"type": "integer", "description": "Id of the staff user or customer (see `author_type`)."}
        return dict(PERSON_REF_SCHEMA)


class CommentMethodFieldSchema(OpenApiSerializerFieldExtension):
    """The computed `author` and `author_type` of a comment, shown inside a ticket or on its own."""

    target_class = "rest_framework.fields.SerializerMethodField"
    match_subclasses = True
    COMMENT = "comments.Comment"
    KNOWN = {
        "author": {"type": "integer", "description": "Id of the staff user or customer (see `author_type`)."},
        "author_type": {
            "type": "string",
            "enum": ["oro", "diamante"],
            "description": "`oro` for staff, `diamante` for customers.",
        },
    }

    def map_serializer_field(self, auto_schema, direction):
        model = getattr(getattr(self.target.parent, "Meta", None), "model", None)
        is_comment = model is not None and model._meta.label == self.COMMENT
        known = self.KNOWN.get(self.target.field_name) if is_comment else None
        if known is None:
            return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return dict(known)
