"""OroPlatform's user API, which the shop extensions use to find the staff user behind `oro_N`."""

from django.http import HttpResponse
from rest_framework import serializers
from rest_framework.response import Response

from desk.api.pagination import DeskPagination
from desk.api.renderers import DeskJSONRenderer, FixedOrder
from desk.api.viewsets import DeskViewSet
from desk.openapi.autoschema import DeskAutoSchema
from desk.openapi.objects import HEADERS
from desk.users.models import User

STAFF_USER_SCHEMA = {
    "type": "object",
    "description": "A staff user as OroPlatform shows it. Keys in this order.",
    "properties": {
        "id": {"type": "integer", "description": "The N of `oro_N`."},
        "username": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "firstName": {"type": "string"},
        "lastName": {"type": "string"},
        "enabled": {"type": "boolean", "description": "Whether the user may sign in."},
        "createdAt": {"type": "string", "example": "2015-07-17T11:25:21+0000"},
        "updatedAt": {"type": "string", "example": "2015-07-17T11:25:21+0000"},
    },
    "required": ["id", "username", "email", "firstName", "lastName", "enabled", "createdAt", "updatedAt"],
}


def staff_user_representation(user):
    """A staff user as Oro shows it: camelCase keys in Oro's order, never a password, key or salt."""
    date = serializers.DateTimeField().to_representation
    return FixedOrder(
        id=user.pk,
        username=user.username,
        email=user.email,
        firstName=user.first_name,
        lastName=user.last_name,
        enabled=user.is_active,
        createdAt=date(user.date_joined),
        updatedAt=date(user.updated_at),
    )


class StaffUserSerializer(serializers.Serializer):
    """Lists of staff users, each as `staff_user_representation` gives it."""

    def to_representation(self, instance):
        return staff_user_representation(instance)


class UnboundedPagination(DeskPagination):
    """Oro's lists take any page size: its clients ask for `limit=999999` to get every staff user."""

    unbounded = True


class StaffUserSchema(DeskAutoSchema):
    """The two routes as OroPlatform documents them: its user object, no page maximum, a bare 404."""

    def get_operation_id(self):
        return "oro_user_filter" if self.action == "filter" else "oro_users_list"

    def get_summary(self):
        return "Find a staff user" if self.action == "filter" else "List staff users"

    def get_description(self):
        if self.action == "filter":
            return "By `username`, else by `email`, in any case. The shop extensions find the staff user "
            "behind `oro_N` this way."
        return "Every staff user; `limit` has no maximum here (clients send `limit=999999`)."

    def _is_list_view(self, serializer=None):
        return self.action == "list"

    def _get_filter_parameters(self):
        if self.action != "filter":
            return []
        return [
            {"in": "query", "name": name, "schema": {"type": "string"}, "description": text}
            for name, text in (
                ("username", "The user name, in any case."),
                ("email", "The email, in any case."),
            )
        ]

    def _success_responses(self):
        user = self.component("StaffUser", STAFF_USER_SCHEMA)
        if self.action == "filter":
            return {"200": {"description": "The user.", "content": self._content(user)}}
        return {
            "200": {
                "description": "A bare array.",
                "headers": {"X-Total": HEADERS["X-Total"], "Link": HEADERS["Link"]},
                "content": self._content({"type": "array", "items": user}),
            }
        }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.action == "filter":
            responses["404"] = {"description": "No user matches, or neither parameter is given; no body."}
        return responses


class StaffUserViewSet(DeskViewSet):
    """`user/filter` and `users` under `/api/rest/{version}/`, on the staff firewall, JSON only."""

    queryset = User.objects.order_by("id")
    serializer_class = StaffUserSerializer
    renderer_classes = [DeskJSONRenderer]
    pagination_class = UnboundedPagination
    filter_backends = []
    entity_name = "User"
    schema_resource = "staff users"
    schema = StaffUserSchema()

    def filter(self, request, *args, **kwargs):
        """The user with that username (else that email), in any case; 404 with an empty body if none."""
        user = None
        for field in ("username", "email"):
            value = request.query_params.get(field, "").strip()
            if value:
                # No stored name holds a NUL, and PostgreSQL refuses one in a query.
                if "\x00" not in value:
                    user = self.get_queryset().filter(**{f"{field}__iexact": value}).first()
                break
        if user is None:
            return HttpResponse(status=404, content_type="application/json")
        return Response(staff_user_representation(user))
