"""Feed routes, on both mounts."""

from desk.api.routing import endpoint
from desk.events.views import EventViewSet


def event_routes(mount):
    """`events`: the change feed."""
    return [endpoint("events", EventViewSet, {"get": "list"}, mount, "events-list")]
