"""User routes: customers managed on the staff mount, the calling customer on the customer mount."""

from django.urls import re_path

from desk.api.routing import COLLECTION, endpoint
from desk.users.views import CustomerViewSet

# An email holds dots, so a format suffix comes only after the slash: `users/a@b.com/.json`.
EMAIL_ROUTE = r"^users/(?P<email>[^/]+)(?:/(?:\.(?P<format>json|xml)/?)?)?$"
CURRENT = {"get": "current", "put": "update_current", "patch": "update_current"}


def user_routes(mount):
    """`users` and `users/{email}/`; on the customer mount `users/current` too, ahead of the email lookup."""
    routes = [endpoint("users", CustomerViewSet, COLLECTION, mount, "users-list")]
    if mount == "customer":
        routes.append(endpoint("users/current", CustomerViewSet, CURRENT, mount, "users-current"))
    view = CustomerViewSet.as_view({"get": "retrieve"}, mount=mount)
    routes.append(re_path(EMAIL_ROUTE, view, name="users-detail"))
    return routes
