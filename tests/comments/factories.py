"""Small factories for comment tests: branches, tickets, comments and attachments through the ORM."""

import secrets

from django.db.models import F

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import Customer

LONG_AGO = "2015-07-17T11:25:21Z"


def make_branch(name="Support", key="SUPP"):
    """A branch, created once per key."""
    branch, _ = Branch.objects.get_or_create(key=key, defaults={"name": name})
    return branch


def make_ticket(reporter, branch=None, subject="Printer on fire", **fields):
    """A ticket reported by a staff user or a customer, numbered as the branch counter says."""
    branch = branch or make_branch()
    Branch.objects.filter(pk=branch.pk).update(last_ticket_number=F("last_ticket_number") + 1)
    number = Branch.objects.get(pk=branch.pk).last_ticket_number
    role = "reporter_customer" if isinstance(reporter, Customer) else "reporter_user"
    return Ticket.objects.create(
        branch=branch,
        number=number,
        key=f"{branch.key}-{number}",
        subject=subject,
        description=fields.pop("description", "It smokes."),
        **{role: reporter},
        **fields,
    )


def make_comment(ticket, author, content="Have you tried turning it off?", private=False):
    """A comment by a staff user or a customer."""
    role = "author_customer" if isinstance(author, Customer) else "author_user"
    return Comment.objects.create(ticket=ticket, content=content, private=private, **{role: author})


def make_attachment(comment, filename="screen.png", thumbnail=False):
    """An attachment row on a comment; the file name is random, as the storage would make it."""
    name = secrets.token_hex(16)
    return Attachment.objects.create(
        comment=comment,
        filename=filename,
        file=f"attachments/{name[:2]}/{name}",
        thumbnail=f"thumbnails/{name[:2]}/{name}.png" if thumbnail else "",
    )


def age(model_instance):
    """Move an entity's timestamps into the past, so a later change is visible."""
    type(model_instance).objects.filter(pk=model_instance.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    model_instance.refresh_from_db()
    return model_instance
