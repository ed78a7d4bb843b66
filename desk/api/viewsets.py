"""The base viewset every resource uses: mounts, exact not-found messages, Location, unknown-field checks."""

from contextlib import contextmanager

from django.db import transaction
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from desk.api import conditional, ratelimits
from desk.api.errors import NotFoundError
from desk.api.idempotency import IdempotentWrites
from desk.api.parsers import close_uploads
from desk.events.log import event_deletion, event_record


class DeskViewSet(IdempotentWrites, viewsets.ModelViewSet):
    """A resource on the staff or customer mount."""

    mount = "staff"  # set per mount by the URL configuration
    entity_name = "Entity"  # for `<Entity> does not have "x" property.`
    not_found_message = "Not found."
    sort_fields = {"id": ("id",)}
    # Sort names whose paths are expressions: the aliases to add, built only when that sort is asked for.
    sort_aliases = {}
    customer_actions = ()
    # Actions whose body may carry attachments, and so may be as large as DESK_MAX_BODY_BYTES.
    attachment_actions = ()
    # Keys accepted on PUT/PATCH besides the serializer's writable fields.
    extra_update_keys = ()
    # Nested routes (`tickets/{id}/attachments`): the model of the holder the URL names as `owner_pk`.
    owner_model = None
    owner_not_found_message = "Not found."
    # Conditional requests: an `ETag` on each entity these reads answer, `If-None-Match` on them, and
    # `If-Match` on the writes, each compared with what its read (here `retrieve`) would answer.
    conditional = False
    etag_reads = ("retrieve",)
    etag_writes = {"update": "retrieve", "partial_update": "retrieve", "destroy": "retrieve"}

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # Stored or refused, an upload is done with once the view has answered.
            close_uploads(self.request)

    @property
    def is_customer(self):
        """Whether a customer is calling."""
        # Keys sign on their own mount only: the customer mount is called by customers alone.
        return self.mount == "customer"

    def get_queryset(self):
        """The rows the caller may reach; every action, nested routes included, starts from here."""
        return self.queryset.all().visible_to(self.request.user)

    def get_owner(self):
        """The ticket or comment a nested route names, among those the caller may reach; else 404."""
        if not hasattr(self, "_owner"):
            holders = self.owner_model.objects.visible_to(self.request.user)
            owner = holders.filter(pk=self.kwargs["owner_pk"]).first()
            if owner is None:
                raise NotFoundError(self.owner_not_found_message)
            self._owner = owner
        return self._owner

    def get_permission_model(self):
        """The model whose Django permissions guard this view."""
        return self.queryset.model

    def get_lookup(self):
        """How a detail route names its row: by id unless a resource says otherwise; None names none."""
        return {"pk": self.kwargs["pk"]}

    def find_object(self):
        """The row the route names among those the caller may reach, or None."""
        # Filters and sorting are for lists; a detail route finds its row by its lookup alone.
        lookup = self.get_lookup()
        return None if lookup is None else self.get_queryset().filter(**lookup).first()

    def get_object(self):
        obj = self.find_object()
        if obj is None:
            raise NotFoundError(self.not_found_message)
        self.check_object_permissions(self.request, obj)
        return obj

    def collection_path(self):
        """The request path without a trailing slash or format suffix."""
        path = self.request.path.rstrip("/")
        fmt = self.kwargs.get("format")
        return path[: -(len(fmt) + 1)].rstrip("/") if fmt else path

    def location_for(self, instance):
        """The created entity's URL: the request path with `/{id}` before any format suffix."""
        fmt = self.kwargs.get("format")
        suffix = f".{fmt}" if fmt else ""
        return self.request.build_absolute_uri(f"{self.collection_path()}/{instance.pk}{suffix}")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        headers = {"Location": self.location_for(serializer.instance)}
        return Response(self.represent(serializer.instance), status=status.HTTP_201_CREATED, headers=headers)

    def update(self, request, *args, **kwargs):
        with self.preconditions(self.get_object()) as instance:
            self.reject_unknown_keys(request.data)
            serializer = self.get_serializer(instance, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
        return Response(self.represent(serializer.instance))

    def destroy(self, request, *args, **kwargs):
        with self.preconditions(self.get_object()) as instance:
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @contextmanager
    def preconditions(self, instance):
        """With `If-Match`, the write runs on the locked row only if its ETag is still one of those given."""
        wanted = self.request.META.get("HTTP_IF_MATCH")
        if not (self.conditional and wanted):
            yield instance
            return
        with transaction.atomic():
            # Re-read locked: no other write can slip in between the comparison and this one.
            instance.refresh_from_db(from_queryset=type(instance).objects.select_for_update())
            if not conditional.matches(wanted, self.current_etag(instance), weak=False):
                raise conditional.PreconditionFailed()
            yield instance

    def current_etag(self, instance):
        """The ETag the read of this write would answer now, in the format this request asked for."""
        action, self.action = self.action, self.etag_writes[self.action]
        try:
            data = self.represent(instance)
        finally:
            self.action = action
        renderer = self.request.accepted_renderer
        return conditional.entity_tag(renderer.render(data, self.request.accepted_media_type))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        tagged = self.etag_reads + tuple(self.etag_writes)
        # A replayed answer (not a DRF Response) already carries the tag it was first sent with.
        if self.conditional and self.action in tagged and isinstance(response, Response):
            if response.status_code == 200:
                response = conditional.tag_response(request, response)
        return ratelimits.rate_limit_headers(request, self.idempotent(response))

    def initial(self, request, *args, **kwargs):
        ratelimits.refuse_paused_address(request)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        ratelimits.count_failure(self.request, exc)
        return super().handle_exception(exc)

    # Writes without a service of their own record their event here, in the write's transaction; a
    # resource whose writes go through services overrides these and its services record instead.
    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()
            event_record(serializer.instance, "created")

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()
            event_record(serializer.instance, "updated")

    def perform_destroy(self, instance):
        with transaction.atomic(), event_deletion(instance):
            instance.delete()

    def represent(self, instance):
        """The full representation of one entity, re-read so related data is current."""
        return self.get_serializer(instance).data

    def reject_unknown_keys(self, data):
        """PUT/PATCH naming a property the entity does not have is 400, as the original did."""
        if not isinstance(data, dict):
            raise ValidationError("Request body should be an object.")
        # Read-only keys of the representation are known too: clients send back what they received.
        known = set(self.get_serializer().fields) | set(self.extra_update_keys)
        for key in data:
            if key not in known:
                raise ValidationError(f'{self.entity_name} does not have "{key}" property.')
