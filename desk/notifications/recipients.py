"""Who hears of an event: the ticket's reporter, assignee and watchers, never the one who made the change."""

from desk.tickets.models import Ticket
from desk.users.models import Customer, User, is_customer
from desk.users.people import parse_person_ref


def _people(references):
    """Staff users and live customers for `oro_N` / `diamante_N` references, in two queries at most."""
    ids = {"oro": set(), "diamante": set()}
    for reference in references:
        parsed = parse_person_ref(reference) if isinstance(reference, str) else None
        if parsed:
            ids[parsed[0]].add(parsed[1])
    people = list(User.objects.filter(pk__in=ids["oro"], is_active=True)) if ids["oro"] else []
    if ids["diamante"]:
        people += list(Customer.objects.live().filter(pk__in=ids["diamante"]))
    return people


def ticket_people(event):
    """The ticket and its people (reporter, assignee, watchers); a deleted ticket's from its event."""
    ticket = None
    if event.type == "ticket.deleted":
        data = event.data
        references = [data.get("reporter"), *data.get("watchers", [])]
        if data.get("assignee"):
            references.append(f"oro_{data['assignee']}")
        return None, _people(references)
    ticket = (
        Ticket.objects.select_related("reporter_user", "reporter_customer", "assignee")
        .prefetch_related("watchers__user", "watchers__customer")
        .filter(pk=event.ticket_id)
        .first()
    )
    if ticket is None:
        return None, []
    people = [ticket.reporter, ticket.assignee, *(watcher.person for watcher in ticket.watchers.all())]
    return ticket, [person for person in people if person is not None]


def recipients_for(event, people):
    """Distinct people with an e-mail address, without the actor; staff only for private events."""
    chosen, seen = [], set()
    for person in people:
        if not person.email or person.person_id == event.actor or person.email.lower() in seen:
            continue
        if event.private and is_customer(person):
            continue  # customers are never told about private comments
        seen.add(person.email.lower())
        chosen.append(person)
    return chosen
