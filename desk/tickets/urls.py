"""Ticket routes, the same on both mounts."""

from desk.api.routing import COLLECTION, DETAIL, ID, NUMBER, endpoint, resource
from desk.branches.models import KEY_LETTERS
from desk.tickets.views import TicketViewSet
from desk.tickets.watchers import WatcherViewSet

KEY = rf"(?P<key>[{KEY_LETTERS}]+-{NUMBER})"
OWNER_ID = rf"(?P<owner_pk>{NUMBER})"
PERSON = rf"(?P<person>(?:oro|diamante)_{NUMBER})"


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
