"""Comment writes that also change the ticket, each in one transaction."""

from django.db import transaction
from django.utils import timezone

from desk.attachments.services import attachments_create, attachments_rehash
from desk.comments.models import Comment
from desk.events.log import change, event_record
from desk.tickets.models import Ticket
from desk.users.people import AUTHOR


def _ticket_status_set(*, ticket, status):
    """Set a ticket's status and move its updated_at; a change of status is an event of the ticket."""
    now = timezone.now()
    # One UPDATE of two columns, so a concurrent edit of the ticket's other fields is not overwritten.
    Ticket.objects.filter(pk=ticket.pk).update(status=status, updated_at=now)
    before = ticket.status
    ticket.status, ticket.updated_at = status, now
    if before != status:
        event_record(ticket, "status_changed", changes={"status": change(before, status)})


@transaction.atomic
def comment_create(*, ticket, author, content, private=False, ticket_status=None, attachments_input=None):
    """Add a comment by a staff user or customer; a given status is set on the ticket in the same transaction.

    `attachments_input` belongs to this transaction so that a comment and its files are created together.
    """
    comment = Comment(ticket=ticket, content=content, private=private)
    AUTHOR.assign(comment, author)
    comment.save()
    event_record(comment, "created")
    if ticket_status:
        _ticket_status_set(ticket=ticket, status=ticket_status)
    attachments_create(inputs=attachments_input, comment=comment)
    return comment


@transaction.atomic
def comment_update(*, comment, ticket_status=None, **changes):
    """Change a comment's content or privacy and, when given, its ticket's status, all or nothing.

    A comment turning private gets new download links, so customers' old ones stop working.
    """
    turned_private = changes.get("private") is True and (
        not Comment.objects.filter(pk=comment.pk, private=True).exists()
    )
    if changes:
        before = {name: getattr(comment, name) for name in changes}
        for name, value in changes.items():
            setattr(comment, name, value)
        comment.save(update_fields=[*changes, "updated_at"])
        changed = {name: change(old, changes[name]) for name, old in before.items() if old != changes[name]}
        if changed:
            event_record(comment, "updated", changes=changed)
    if turned_private:
        attachments_rehash(comment=comment)
    if ticket_status:
        _ticket_status_set(ticket=comment.ticket, status=ticket_status)
    return comment
