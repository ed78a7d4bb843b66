"""Small factories shared by the resource tests: branches, tickets, comments and attachment rows."""

import secrets

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.tickets.services import ticket_create
from desk.users.models import Customer

LONG_AGO = "2015-07-17T11:25:21Z"


def make_branch(name="Support", key="SUPP", default_assignee=None):
    """The branch with that key, made on first use."""
    branch, _ = Branch.objects.get_or_create(
        key=key, defaults={"name": name, "default_assignee": default_assignee}
    )
    return branch


def make_ticket(reporter, branch=None, subject="Printer on fire", **fields):
    """A ticket reported by a staff user or a customer, numbered by the service as the API numbers it."""
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


def age(instance):
    """Move an entity's timestamps into the past, so a later change is visible."""
    type(instance).objects.filter(pk=instance.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    instance.refresh_from_db()
    return instance
