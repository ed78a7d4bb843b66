"""Comment writes that also change the ticket, each in one transaction."""

from django.db import transaction
from django.utils import timezone

from desk.attachments.services import attachments_create, attachments_rehash
from desk.comments.models import Comment
from desk.events.log import change, event_record, events_hide
from desk.tickets.models import Ticket
from desk.users.people import AUTHOR


def _ticket_status_set(*, ticket, status):
    """Set a ticket's status and move its updated_at; the change to record, or None when there is none."""
    now = timezone.now()
    locked = Ticket.objects.select_for_update().filter(pk=ticket.pk)
    before = locked.values_list("status", flat=True).first()
    # One UPDATE of two columns, so a concurrent edit of the ticket's other fields is not overwritten.
    Ticket.objects.filter(pk=ticket.pk).update(status=status, updated_at=now)
    ticket.status, ticket.updated_at = status, now
    return None if before in (None, status) else {"status": change(before, status)}


def _record_status(ticket, status_change):
    if status_change:
        event_record(ticket, "status_changed", changes=status_change)


# Events are recorded after every row lock the transaction takes (desk/events/log.py says why).


@transaction.atomic
def comment_create(*, ticket, author, content, private=False, ticket_status=None, attachments_input=None):
    """Add a comment by a staff user or customer; a given status is set on the ticket in the same transaction.

    `attachments_input` belongs to this transaction so that a comment and its files are created together.
    """
    comment = Comment(ticket=ticket, content=content, private=private)
    AUTHOR.assign(comment, author)
    comment.save()
    comment.hold_attachments([])  # a new row: its event tells of no attachments, as none are stored yet
    status_change = _ticket_status_set(ticket=ticket, status=ticket_status) if ticket_status else None
    event_record(comment, "created")
    _record_status(ticket, status_change)
    # Its rows are new, so no other transaction holds them: recording their events after is safe.
    comment.hold_attachments(attachments_create(inputs=attachments_input, comment=comment))
    return comment


@transaction.atomic
def comment_update(*, comment, ticket_status=None, **changes):
    """Change a comment's content or privacy and, when given, its ticket's status, all or nothing.

    A comment turning private gets new download links, so customers' old ones stop working, and its
    earlier events leave customers' feeds.
    """
    turned_private = changes.get("private") is True and (
        not Comment.objects.filter(pk=comment.pk, private=True).exists()
    )
    changed = {}
    if changes:
        before = {name: getattr(comment, name) for name in changes}
        for name, value in changes.items():
            setattr(comment, name, value)
        comment.save(update_fields=[*changes, "updated_at"])
        changed = {name: change(old, changes[name]) for name, old in before.items() if old != changes[name]}
    if turned_private:
        attachments_rehash(comment=comment)
    status_change = _ticket_status_set(ticket=comment.ticket, status=ticket_status) if ticket_status else None
    if turned_private:
        events_hide(comment, *comment.attachments.all())
    if changed:
        event_record(comment, "updated", changes=changed)
    _record_status(comment.ticket, status_change)
    return comment
