"""How ticket and watcher changes appear in the event log."""

from desk.events.log import register
from desk.tickets.models import Ticket, Watcher
from desk.tickets.serializers import TicketSerializer
from desk.users.people import REPORTER, person_representation


class TicketEventSerializer(TicketSerializer):
    """A ticket with its own attachments; comments are events of their own (and some are private)."""

    comments = None

    class Meta(TicketSerializer.Meta):
        fields = [
            name for name in TicketSerializer.Meta.fields if name not in ("comments", "attachments_input")
        ]


def represent_ticket(ticket, request):
    return TicketEventSerializer(ticket, context={"request": request}).data


def ticket_scope(ticket):
    return ticket.pk, ticket.reporter_customer_id, False


def ticket_remains(ticket):
    """What a deleted ticket's event keeps: its subject and the people to tell."""
    watchers = ticket.watchers.select_related("user", "customer")
    return {
        "subject": ticket.subject,
        "unique_id": {"id": ticket.unique_id},
        "reporter": REPORTER.reference(ticket),
        "assignee": ticket.assignee_id,
        "watchers": [watcher.person.person_id for watcher in watchers],
    }


def represent_watcher(watcher, request):
    return {**person_representation(watcher.person), "ticket": watcher.ticket_id}


def watcher_scope(watcher):
    return watcher.ticket_id, watcher.ticket.reporter_customer_id, False


register(
    Ticket,
    entity="ticket",
    represent=represent_ticket,
    scope=ticket_scope,
    key=lambda ticket: ticket.key,
    remains=ticket_remains,
)
register(
    Watcher,
    entity="watcher",
    represent=represent_watcher,
    scope=watcher_scope,
    key=lambda watcher: watcher.person.person_id,
)
