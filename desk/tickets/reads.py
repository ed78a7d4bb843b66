"""A ticket read's three queries (the ticket, its comments, their attachments), compiled once per caller kind.

A ticket read is the most frequent request there is, and building and compiling its querysets cost
more than the database took to answer them. The querysets are the models' own (`visible_to` decides
what a caller reaches, as everywhere), compiled for a stand-in caller of each kind.
"""

from django.db import connection
from django.db.models import Q

from desk.attachments.models import Attachment
from desk.comments.models import Comment
from desk.core.compiled import CompiledQuery
from desk.tickets.models import Ticket
from desk.users.models import Customer, User, is_customer

KINDS = ("staff", "customer")


def _stand_in(kind, pk):
    """A caller of that kind with that id: what the visibility rules are compiled for."""
    return Customer(pk=pk) if kind == "customer" else User(pk=pk)


def _ticket(kind, field):
    return CompiledQuery(
        lambda caller, value: (
            Ticket.objects.visible_to(_stand_in(kind, caller)).filter(**{field: value}).order_by("pk")[:1]
        )
    )


def _visible_comments(kind, caller, ticket):
    return Comment.objects.visible_to(_stand_in(kind, caller)).filter(ticket_id=ticket)


_TICKETS = {(kind, field): _ticket(kind, field) for kind in KINDS for field in ("pk", "key")}
_COMMENTS = {
    kind: CompiledQuery(lambda caller, ticket, kind=kind: _visible_comments(kind, caller, ticket))
    for kind in KINDS
}
_ATTACHMENTS = {
    kind: CompiledQuery(
        lambda caller, ticket, kind=kind: Attachment.objects.filter(
            Q(ticket_id=ticket) | Q(comment__in=_visible_comments(kind, caller, ticket).values("pk"))
        )
    )
    for kind in KINDS
}
_ID_MIN, _ID_MAX = connection.ops.integer_field_range(Ticket._meta.pk.get_internal_type())


def _kind(caller):
    return "customer" if is_customer(caller) else "staff"


def ticket_read(caller, *, pk=None, key=None):
    """The ticket of that id (digits) or key among those the caller may see, or None."""
    if key is not None:
        field, value = "key", key
    else:
        field, value = "pk", int(pk)
        if not _ID_MIN <= value <= _ID_MAX:
            return None  # no such id can be stored, as the ORM would conclude
    found = _TICKETS[(_kind(caller), field)].instances(caller.pk, value)
    return found[0] if found else None


def ticket_details(ticket, caller):
    """Give the ticket the comments the caller may see (`visible_comments`) and both their attachments."""
    kind = _kind(caller)
    comments = _COMMENTS[kind].instances(caller.pk, ticket.pk)
    by_comment = {comment.pk: [] for comment in comments}
    own = []
    for attachment in _ATTACHMENTS[kind].instances(caller.pk, ticket.pk):
        (own if attachment.comment_id is None else by_comment[attachment.comment_id]).append(attachment)
    ticket.hold_attachments(own)
    for comment in comments:
        comment.hold_attachments(by_comment[comment.pk])
    ticket.visible_comments = comments
    return ticket
