"""Ticket watchers (DiamanteDesk 2.0): staff users and customers who follow a ticket."""

from django.db import IntegrityError, transaction
from rest_framework import serializers, status
from rest_framework.response import Response

from desk.api.errors import NotFoundError
from desk.api.viewsets import DeskViewSet
from desk.events.log import event_deletion, event_record
from desk.openapi.autoschema import DeskAutoSchema
from desk.openapi.objects import HEADERS
from desk.tickets.models import TICKET_NOT_FOUND, Ticket, Watcher
from desk.users.fields import find_person
from desk.users.people import (
    PERSON_PATH_PARAMETER,
    PERSON_SCHEMA,
    USER_NOT_FOUND,
    WATCHER,
    parse_person_ref,
    person_by_email,
    person_representation,
)
from desk.users.services import customer_for_email


class WatcherInputSerializer(serializers.Serializer):
    """`{"email": ...}` or `{"id": "oro_1" | "diamante_5"}`: the person to add."""

    email = serializers.EmailField(required=False, max_length=254)
    id = serializers.CharField(required=False, max_length=64)

    def validate(self, attrs):
        if attrs.get("id"):
            return {"person": find_person(attrs["id"])}
        if attrs.get("email"):
            return {"person": person_by_email(attrs["email"]), "email": attrs["email"]}
        raise serializers.ValidationError('Give the watcher as "email" or as "id" (oro_N or diamante_N).')


def watcher_add(*, ticket, person):
    """Make a staff user or customer watch a ticket; one already watching stays as it is."""
    watcher = Watcher(ticket=ticket)
    WATCHER.assign(watcher, person)
    try:
        with transaction.atomic():
            watcher.save()
            event_record(watcher, "created")
    except IntegrityError:
        pass  # already watching (perhaps since a moment ago): adding twice is not an error


def watcher_remove(*, ticket, kind, pk):
    """Make a person stop watching a ticket; False when it was not watching."""
    with transaction.atomic():
        watcher = Watcher.objects.filter(ticket=ticket).filter(WATCHER.matching(kind, pk)).first()
        if watcher is None:
            return False
        with event_deletion(watcher):
            watcher.delete()
    return True


class WatcherSchema(DeskAutoSchema):
    """Watchers are Persons: a bare array of them, or the one added."""

    def get_summary(self):
        return {"GET": "Watchers of a ticket", "POST": "Add a watcher to a ticket"}.get(
            self.method, "Remove a watcher from a ticket"
        )

    def get_description(self):
        notes = {
            "GET": "Every watcher at once, as Persons.",
            "POST": "By `email` (a customer's, else a staff user's; an unknown email becomes a new customer, "
            "as in DiamanteDesk 2.0) or by `id`. Adding a watcher twice is not an error: the answer is the "
            "same 201.",
            "DELETE": "",
        }
        customers = "Customers see and change the watchers of the tickets they reported only."
        return "\n\n".join(note for note in (notes[self.method], customers) if note)

    def _success_responses(self):
        person = self.component("Person", PERSON_SCHEMA)
        if self.method == "GET":
            schema = {"type": "array", "items": person}
            return {"200": {"description": "A bare array.", "content": self._content(schema)}}
        if self.method == "POST":
            location = {**HEADERS["Location"], "description": "URL to remove this watcher with."}
            return {
                "201": {
                    "description": "The watcher.",
                    "headers": {"Location": location},
                    "content": self._content(person),
                }
            }
        return super()._success_responses()

    def _error_descriptions(self):
        errors = super()._error_descriptions()
        if self.method == "GET":
            errors.pop("400", None)
        return errors


class WatcherViewSet(DeskViewSet):
    """`tickets/{id}/watchers`: list, add and remove; customers only on tickets they reported."""

    queryset = Watcher.objects.all()
    serializer_class = WatcherInputSerializer
    # A ticket has few watchers, shown all at once as the original did.
    pagination_class = None
    filter_backends = []
    entity_name = "Watcher"
    not_found_message = USER_NOT_FOUND
    owner_model = Ticket
    owner_not_found_message = TICKET_NOT_FOUND
    customer_actions = ("list", "create", "destroy")
    schema = WatcherSchema()
    schema_resource = "ticket watchers"
    path_parameters = {
        "userId": {
            **PERSON_PATH_PARAMETER,
            "description": "The watcher: `oro_N` for a staff user, `diamante_N` for a customer.",
        }
    }

    def get_queryset(self):
        return super().get_queryset().filter(ticket=self.get_owner()).select_related("user", "customer")

    def list(self, request, *args, **kwargs):
        return Response([person_representation(watcher.person) for watcher in self.get_queryset()])

    def create(self, request, *args, **kwargs):
        ticket = self.get_owner()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            # An unknown email becomes a customer, as in the original: watching is how contacts are added.
            person = serializer.validated_data["person"] or customer_for_email(
                email=serializer.validated_data["email"]
            )
            watcher_add(ticket=ticket, person=person)
        location = self.request.build_absolute_uri(f"{self.collection_path()}/{person.person_id}")
        return Response(
            person_representation(person), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def destroy(self, request, *args, **kwargs):
        # The route admits only `oro_N` and `diamante_N`.
        kind, pk = parse_person_ref(self.kwargs["person"])
        if not watcher_remove(ticket=self.get_owner(), kind=kind, pk=pk):
            raise NotFoundError(USER_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
