"""Ticket endpoints by id and by key, search, and the reporter and assignee of a ticket."""

from django.http import HttpResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from desk.api.errors import NotFoundError
from desk.api.permissions import DeskPermission, body_keys
from desk.api.viewsets import DeskViewSet
from desk.branches.models import KEY_LETTERS
from desk.tickets.filters import TicketFilterSet
from desk.tickets.models import TICKET_NOT_FOUND, Ticket, TicketKeyHistory
from desk.tickets.reads import ticket_details, ticket_read
from desk.tickets.serializers import (
    CustomerTicketSerializer,
    TicketListSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from desk.tickets.services import ticket_create, ticket_update
from desk.users.models import is_customer
from desk.users.people import PERSON_SCHEMA, REPORTER, person_representation

LIST_ACTIONS = ("list", "search")
PEOPLE_ACTIONS = ("reporter", "assignee")
# What a customer may not change on its own tickets: who works on them, and where they are queued.
CUSTOMER_FIXED_KEYS = frozenset({"assignee", "branch"})
TICKET_KEY_PATTERN = rf"^[{KEY_LETTERS}]+-[0-9]{{1,18}}$"
UPDATABLE = ("subject", "description", "status", "priority", "source", "assignee")


class TicketPermission(DeskPermission):
    """The shared rules, plus: a customer never names an assignee or a branch in an update."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        # Refused on the body's keys alone, before lookup and validation, so the answer says nothing
        # about whether the ticket exists or what else the body holds.
        writes = request.method in ("PUT", "PATCH")
        return not (writes and is_customer(request.user) and CUSTOMER_FIXED_KEYS & body_keys(request))


class TicketViewSet(DeskViewSet):
    """Tickets: staff by model permissions; customers only the tickets they reported, never deleting."""

    queryset = Ticket.objects.all()
    filterset_class = TicketFilterSet
    permission_classes = [TicketPermission]
    conditional = True
    # What the OpenAPI document says of the actions that are not plain reads and writes of tickets.
    person_schema = PERSON_SCHEMA
    person_actions = PEOPLE_ACTIONS
    may_be_nobody = ("assignee",)  # answers `[]` when nobody is assigned
    schema_resources = {"reporter": "people", "assignee": "people"}
    summaries = {
        "search": "Search tickets by subject and description",
        "reporter": "The ticket's reporter",
        "assignee": "The ticket's assignee",
    }
    list_parameters = {
        "search": [
            {
                "in": "query",
                "name": "q",
                "required": True,
                "schema": {"type": "string"},
                "description": "Text to find in the subject or the description, in any case.",
            }
        ]
    }
    path_parameters = {
        "key": {
            "schema": {"type": "string", "pattern": TICKET_KEY_PATTERN, "example": "SUPP-1"},
            "description": "Ticket key: the branch key, a hyphen and the ticket's number.",
        }
    }
    entity_name = "Ticket"
    not_found_message = TICKET_NOT_FOUND
    attachment_actions = ("create",)
    sort_fields = {
        **{
            name: (name,)
            for name in (
                "id",
                "subject",
                "description",
                "status",
                "priority",
                "source",
                "created_at",
                "updated_at",
            )
        },
        "key": ("branch__key", "number"),
        "branch": ("branch_id",),
        "assignee": ("assignee_id",),
        "reporter": REPORTER.sort_fields,
    }
    sort_aliases = {"reporter": REPORTER.sort_keys}
    customer_actions = (
        "list",
        "search",
        "retrieve",
        "create",
        "update",
        "partial_update",
        "reporter",
        "assignee",
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in LIST_ACTIONS:
            if self.action == "search":
                text = self.search_text()
                queryset = queryset.containing(text, "subject", "description")
            return queryset
        if self.action in PEOPLE_ACTIONS:
            return queryset.select_related("reporter_user", "reporter_customer", "assignee")
        # A ticket read (retrieve, or represent() after a write) gets its details from with_details().
        return queryset

    def with_details(self, ticket):
        """The ticket with the comments the caller may see, and their attachments and its own."""
        return ticket_details(ticket, self.request.user)

    def find_object(self):
        if self.action != "retrieve":
            return super().find_object()
        return ticket_read(self.request.user, **self.get_lookup())

    def search(self, request, *args, **kwargs):
        """Tickets whose subject or description holds `q`, filtered, sorted and paged like the list."""
        return self.list(request, *args, **kwargs)

    def search_text(self):
        """The `q` of a search; without it a search has nothing to match."""
        text = self.request.query_params.get("q", "").strip()
        if not text:
            raise ValidationError('"q" is required: give the text to search for in subject and description.')
        if "\x00" in text:
            raise ValidationError('"q" should not contain NUL characters.')
        return text

    def get_serializer_class(self):
        if self.action in LIST_ACTIONS:
            return TicketListSerializer
        if self.action in ("update", "partial_update"):
            return TicketUpdateSerializer
        if self.is_customer:
            return CustomerTicketSerializer
        return TicketSerializer

    def get_lookup(self):
        # By id, or by the current key (an old key is only for GET, which redirects).
        return {"key": self.kwargs["key"].upper()} if "key" in self.kwargs else super().get_lookup()

    def retrieve(self, request, *args, **kwargs):
        try:
            ticket = self.get_object()
        except NotFoundError:
            if "key" not in kwargs:
                raise
            return self.redirect_old_key(kwargs["key"].upper())
        return Response(self.get_serializer(self.with_details(ticket)).data)

    def redirect_old_key(self, old_key):
        """301 to the current key of a ticket that moved away from `old_key`; 404 when none did."""
        visible = Ticket.objects.visible_to(self.request.user)
        new_key = (
            TicketKeyHistory.objects.filter(key=old_key, ticket__in=visible)
            .values_list("ticket__key", flat=True)
            .first()
        )
        if new_key is None:
            raise NotFoundError(self.not_found_message)
        # Swap only the key segment, so the mount, version, slash and format suffix stay as asked.
        head, _, tail = self.request.path.rpartition("/tickets/")
        location = self.request.build_absolute_uri(f"{head}/tickets/{new_key}{tail[len(old_key) :]}")
        # No `Location`: clients that follow it resend the single-use WSSE header and get a 401 for a replay.
        return HttpResponse(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"X-Location": location})

    def represent(self, instance):
        if self.action == "create":
            # A ticket just created has no comments yet, and holds the attachments its service stored.
            instance.visible_comments = []
            return self.get_serializer(instance).data
        return self.get_serializer(
            self.with_details(Ticket.objects.visible_to(self.request.user).get(pk=instance.pk))
        ).data

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = ticket_create(
            branch=data["branch"],
            subject=data["subject"],
            description=data["description"],
            status=data["status"],
            priority=data["priority"],
            source=data["source"],
            reporter=data["reporter"],
            assignee=data.get("assignee"),
            attachments_input=data.get("attachments_input"),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        changes = {name: data[name] for name in UPDATABLE if name in data}
        serializer.instance = ticket_update(ticket=serializer.instance, branch=data.get("branch"), **changes)

    def reporter(self, request, *args, **kwargs):
        """The Person who reported the ticket."""
        return Response(person_representation(self.get_object().reporter))

    def assignee(self, request, *args, **kwargs):
        """The Person the ticket is assigned to; `[]` when nobody is."""
        assignee = self.get_object().assignee
        return Response(person_representation(assignee) if assignee else [])
