"""Ticket routes, the same on both mounts."""

from desk.api.routing import COLLECTION, DETAIL, ID, endpoint, resource
from desk.branches.models import KEY_LETTERS
from desk.tickets.views import TicketViewSet
from desk.tickets.watchers import WatcherViewSet

KEY = rf"(?P<key>[{KEY_LETTERS}]+-\d{{1,18}})"
OWNER_ID = r"(?P<owner_pk>\d{1,18})"
PERSON = r"(?P<person>(?:oro|diamante)_\d{1,18})"


def ticket_routes(mount):
    """Tickets by id and by key, their search, and the reporter and assignee of a ticket."""
    return [
        # Ahead of the detail routes, which could never match it but should not be asked to.
        endpoint("tickets/search", TicketViewSet, {"get": "search"}, mount, "tickets-search"),
        *resource("tickets", TicketViewSet, mount),
        endpoint(rf"tickets/{KEY}", TicketViewSet, DETAIL, mount, "tickets-detail-by-key"),
        endpoint(rf"ticket/{ID}/reporter", TicketViewSet, {"get": "reporter"}, mount, "ticket-reporter"),
        endpoint(rf"ticket/{ID}/assignee", TicketViewSet, {"get": "assignee"}, mount, "ticket-assignee"),
        endpoint(rf"tickets/{OWNER_ID}/watchers", WatcherViewSet, COLLECTION, mount, "ticket-watcher-list"),
        endpoint(
            rf"tickets/{OWNER_ID}/watchers/{PERSON}",
            WatcherViewSet,
            {"delete": "destroy"},
            mount,
            "ticket-watcher-detail",
        ),
    ]
