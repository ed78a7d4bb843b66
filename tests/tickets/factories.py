"""Factories for ticket tests (branches, tickets numbered by the service, comments, attachments) and the
answers they expect."""

import secrets

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.tickets.services import ticket_create
from desk.users.models import Customer

LONG_AGO = "2015-07-17T11:25:21Z"
TICKET_NOT_FOUND = {"error": "Ticket loading failed, ticket not found."}
BRANCH_NOT_FOUND = {"error": "Branch loading failed. Branch not found."}
USER_NOT_FOUND = {"error": "User loading failed. User not found"}
FORBIDDEN = {"error": "Not enough permissions."}
STATUSES = "new, open, pending, in_progress, closed, on_hold"


def make_branch(name="Support", key="SUPP", default_assignee=None):
    """A branch with the given key."""
    return Branch.objects.create(name=name, key=key, default_assignee=default_assignee)


def make_ticket(reporter, branch=None, subject="Printer on fire", **fields):
    """A ticket reported by a staff user or a customer, numbered as the API would number it."""
    values = {"description": "It smokes.", "status": "new", "priority": "medium", "source": "web", **fields}
    return ticket_create(branch=branch or make_branch(), subject=subject, reporter=reporter, **values)


def make_comment(ticket, author, content="Have you tried turning it off?", private=False):
    """A comment by a staff user or a customer."""
    role = "author_customer" if isinstance(author, Customer) else "author_user"
    return Comment.objects.create(ticket=ticket, content=content, private=private, **{role: author})


def make_attachment(owner, filename="screen.png", thumbnail=False):
    """An attachment row on a ticket or a comment; the stored name is random, as the storage makes it."""
    name = secrets.token_hex(16)
    owner_field = "ticket" if isinstance(owner, Ticket) else "comment"
    return Attachment.objects.create(
        filename=filename,
        file=f"attachments/{name[:2]}/{name}",
        thumbnail=f"thumbnails/{name[:2]}/{name}.png" if thumbnail else "",
        **{owner_field: owner},
    )


def age(ticket):
    """Move a ticket's timestamps into the past, so a later change is visible."""
    Ticket.objects.filter(pk=ticket.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    ticket.refresh_from_db()
    return ticket


def ticket_body(branch, reporter, /, **fields):
    """A complete create body."""
    return {
        "branch": branch.pk,
        "subject": "Test Ticket",
        "description": "Test Description",
        "status": "open",
        "priority": "medium",
        "source": "phone",
        "reporter": reporter.person_id,
        **fields,
    }
