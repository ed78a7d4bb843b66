"""Comment endpoints, and the author of a comment."""

from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from desk.api.permissions import DeskPermission
from desk.api.viewsets import DeskViewSet
from desk.attachments.owners import prefetch_attachments
from desk.comments.filters import CommentFilterSet
from desk.comments.models import COMMENT_NOT_FOUND, Comment
from desk.comments.serializers import CommentSerializer, CommentUpdateSerializer, CustomerCommentSerializer
from desk.comments.services import comment_create, comment_update
from desk.tickets.models import Ticket
from desk.users.models import is_customer
from desk.users.people import AUTHOR, PERSON_SCHEMA, person_representation


def asks_private(request):
    """Whether the body asks for a private comment; a value that is no boolean is left to validation."""
    value = request.data.get("private") if isinstance(request.data, dict) else None
    try:
        return value is not None and serializers.BooleanField().to_internal_value(value)
    except serializers.ValidationError:
        return False


class CommentPermission(DeskPermission):
    """The shared rules, plus: a customer never writes a private comment, and changes only its own."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        # Checked on the body before anything is looked up or validated.
        return not (
            is_customer(request.user) and request.method not in SAFE_METHODS and asks_private(request)
        )

    def has_object_permission(self, request, view, obj):
        if is_customer(request.user) and request.method not in SAFE_METHODS:
            return obj.author_customer_id == request.user.pk
        return True


class CommentViewSet(DeskViewSet):
    """Comments: staff by model permissions; customers on their own tickets, never private ones."""

    queryset = Comment.objects.all()
    filterset_class = CommentFilterSet
    permission_classes = [CommentPermission]
    conditional = True
    person_schema = PERSON_SCHEMA
    person_actions = ("author",)
    schema_resources = {"author": "people"}
    summaries = {"author": "The comment's author"}
    entity_name = "Comment"
    not_found_message = COMMENT_NOT_FOUND
    sort_fields = {
        **{name: (name,) for name in ("id", "content", "private", "created_at", "updated_at")},
        "ticket": ("ticket_id",),
        "author": AUTHOR.sort_fields,
    }
    sort_aliases = {"author": AUTHOR.sort_keys}
    customer_actions = ("list", "retrieve", "create", "update", "partial_update", "destroy", "author")
    attachment_actions = ("create",)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "author":
            queryset = queryset.select_related("author_user", "author_customer")
        elif self.action in ("list", "retrieve"):
            queryset = queryset.prefetch_related(prefetch_attachments())
        return queryset

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CommentUpdateSerializer
        if self.is_customer:
            return CustomerCommentSerializer
        return CommentSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["tickets"] = Ticket.objects.visible_to(self.request.user)
        return context

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = comment_create(
            ticket=data["ticket"],
            author=data["author"],
            content=data["content"],
            private=data.get("private", False),
            ticket_status=data.get("ticket_status"),
            attachments_input=data.get("attachments_input"),
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        ticket_status = data.pop("ticket_status", None)
        changes = {name: data[name] for name in ("content", "private") if name in data}
        serializer.instance = comment_update(
            comment=serializer.instance, ticket_status=ticket_status, **changes
        )

    def author(self, request, *args, **kwargs):
        """The Person who wrote the comment."""
        return Response(person_representation(self.get_object().author))
