"""The factories of the whole suite: staff users and customers with keys, branches, tickets, comments, files."""

import secrets

from desk.attachments.models import Attachment
from desk.branches.models import Branch, key_from_name
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.tickets.services import ticket_create
from desk.users.models import Customer, User
from wsse_auth.models import ApiKey

LONG_AGO = "2015-07-17T11:25:21Z"


def make_branch(name="Support", key=None, **fields):
    """The branch with that key (made from the name, as the API makes it, when not given), made on first use."""
    branch, _ = Branch.objects.get_or_create(
        key=(key or key_from_name(name)).upper(), defaults={"name": name, **fields}
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


def make_staff(username="admin", superuser=True, **fields):
    """A staff user with one API key."""
    user = User.objects.create_user(
        username=username,
        email=fields.pop("email", f"{username}@example.com"),
        password="x-unused-x",
        is_staff=True,
        is_superuser=superuser,
        **fields,
    )
    ApiKey.objects.create(user=user)
    return user


def make_customer(email="customer@example.com", first_name="Carla", last_name="Customer"):
    """A customer with one API key."""
    customer = Customer.objects.create(email=email, first_name=first_name, last_name=last_name)
    ApiKey.objects.create(customer=customer)
    return customer


def stored_key(value):
    """The ApiKey row holding this key, or None: keys are stored encrypted, so no query can name one."""
    return next((api_key for api_key in ApiKey.objects.all() if api_key.key == value), None)
