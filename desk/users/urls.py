"""User routes: customers managed on the staff mount, the calling customer on the customer mount."""

from django.urls import re_path

from desk.api.routing import COLLECTION, DETAIL, ID, JSON_SUFFIX, endpoint
from desk.users.staff_api import StaffUserViewSet
from desk.users.views import CustomerViewSet

# An email holds dots, so a format suffix comes only after the slash: `users/a@b.com/.json`.
EMAIL_ROUTE = r"^users/(?P<email>[^/]+)(?:/(?:\.(?P<format>json|xml)/?)?)?$"
CURRENT = {"get": "current", "put": "update_current", "patch": "update_current"}


def user_routes(mount):
    """`users` and `users/{email}/`; `users/{id}` on the staff mount, `users/current` on the customer's.

    The id and `current` routes come first: `users/5.json` names customer 5, not an email `5.json`.
    """
    routes = [endpoint("users", CustomerViewSet, COLLECTION, mount, "users-list")]
    if mount == "staff":
        routes.append(endpoint(rf"users/{ID}", CustomerViewSet, DETAIL, mount, "users-detail-by-id"))
    if mount == "customer":
        routes.append(endpoint("users/current", CustomerViewSet, CURRENT, mount, "users-current"))
    view = CustomerViewSet.as_view({"get": "retrieve"}, mount=mount)
    routes.append(re_path(EMAIL_ROUTE, view, name="users-detail"))
    return routes


def staff_user_routes():
    """OroPlatform's `user/filter` and `users`, signed with staff keys, beside the staff mount."""
    return [
        endpoint("user/filter", StaffUserViewSet, {"get": "filter"}, "staff", "user-filter", JSON_SUFFIX),
        endpoint("users", StaffUserViewSet, {"get": "list"}, "staff", "staff-users-list", JSON_SUFFIX),
    ]
