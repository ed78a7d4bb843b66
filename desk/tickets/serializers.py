"""Ticket representation and input rules."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.fields import empty

from desk.api.fields import LabelChoiceField, RelatedIdField
from desk.api.serializers import DeskModelSerializer
from desk.attachments.serializers import AttachmentSerializer, AttachmentsInputField
from desk.branches.models import BRANCH_NOT_FOUND, Branch
from desk.comments.serializers import CommentSerializer
from desk.tickets.models import Priority, Source, Status, Ticket
from desk.users.fields import PersonField, StaffUserField
from desk.users.people import REPORTER

# Keys of the full representation that lists leave out.
DETAIL_ONLY = ("attachments", "attachments_input", "comments", "description")


def none_given(value):
    """Whether a value means "none" as forms and PHP send it: absent, null, `""`, `"0"`, `0`, `false`."""
    if value is empty or value is None or value is False:
        return True
    return (isinstance(value, str) and value in ("", "0")) or (type(value) is int and value == 0)


class AssigneeField(StaffUserField):
    """The assignee as a staff id or `oro_N`; an empty value or 0 (what forms and PHP send) means nobody."""

    def to_internal_value(self, data):
        if none_given(data):
            return None
        return super().to_internal_value(data)


class ReporterField(PersonField):
    """Written as `oro_N` or `diamante_N` and shown the same way, built from the id columns."""

    pair = REPORTER

    def get_attribute(self, instance):
        # The id columns answer, so a list never loads the reporters.
        return instance

    def to_representation(self, value):
        return REPORTER.reference(value)


class TicketBranchField(RelatedIdField):
    """The branch by id; a new ticket naming none (empty, 0, false) goes to the default branch, if any."""

    def validate_empty_values(self, data):
        if none_given(data) and self.parent.instance is None:
            branch = Branch.objects.default()
            if branch is not None:
                return True, branch
        return super().validate_empty_values(data)


class UniqueIdField(serializers.Field):
    """The ticket's unique id wrapped as `{"id": ...}`, as the original showed it."""

    def to_representation(self, value):
        return {"id": value}


class TicketSerializer(DeskModelSerializer):
    """A ticket with its comments and attachments, as staff create it."""

    assignee = AssigneeField(required=False, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True, source="attachment_list")
    attachments_input = AttachmentsInputField()
    branch = TicketBranchField(noun="branch", not_found=BRANCH_NOT_FOUND, queryset=Branch.objects.all())
    # The view loads the comments the caller may see into `visible_comments`; there is no unfiltered fallback.
    comments = CommentSerializer(many=True, read_only=True, source="visible_comments")
    priority = LabelChoiceField(Priority)
    reporter = ReporterField()
    source = LabelChoiceField(Source)
    status = LabelChoiceField(Status)
    unique_id = UniqueIdField(read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "assignee",
            "attachments",
            "attachments_input",
            "branch",
            "comments",
            "created_at",
            "description",
            "id",
            "key",
            "priority",
            "reporter",
            "source",
            "status",
            "subject",
            "unique_id",
            "updated_at",
        ]
        read_only_fields = ["created_at", "id", "key", "updated_at"]


class CustomerTicketSerializer(TicketSerializer):
    """A ticket as a customer creates it: the caller is the reporter and the branch picks the assignee."""

    assignee = AssigneeField(read_only=True)
    reporter = ReporterField(read_only=True)
    caller_fields = ("reporter",)


class TicketUpdateSerializer(TicketSerializer):
    """A ticket as an update sees it: the reporter is fixed once written."""

    attachments_input = None
    reporter = ReporterField(read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [name for name in TicketSerializer.Meta.fields if name != "attachments_input"]


class TicketListSerializer(TicketSerializer):
    """A ticket as lists show it: without attachments, comments and description."""

    class Meta(TicketSerializer.Meta):
        fields = [name for name in TicketSerializer.Meta.fields if name not in DETAIL_ONLY]


class UniqueIdFieldSchema(OpenApiSerializerFieldExtension):
    """The ticket's unique id, wrapped as the original showed it."""

    target_class = "desk.tickets.serializers.UniqueIdField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "object",
            "properties": {"id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
            "required": ["id"],
        }
