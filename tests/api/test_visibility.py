"""Who sees what is one `visible_to(principal)` per model, applied by the base viewset to every route."""

import pytest
from django.urls import get_resolver

from desk.api.viewsets import DeskViewSet
from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket, Watcher
from desk.users.models import Customer, User
from tests.factories import make_attachment, make_branch, make_comment, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db


def routed_viewsets(patterns=None):
    """Every DeskViewSet class a URL of the project routes to."""
    found = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if hasattr(pattern, "url_patterns"):
            found |= routed_viewsets(pattern.url_patterns)
        cls = getattr(getattr(pattern, "callback", None), "cls", None)
        if cls is not None and issubclass(cls, DeskViewSet):
            found.add(cls)
    return found


def test_every_routed_resource_says_who_sees_its_rows():
    viewsets = routed_viewsets()
    assert len(viewsets) >= 8
    for viewset in viewsets:
        assert hasattr(viewset.queryset, "visible_to"), viewset
        if viewset.owner_model is not None:
            assert hasattr(viewset.owner_model.objects, "visible_to"), viewset


@pytest.fixture
def world():
    staff = make_staff()
    mine, theirs = make_customer("me@example.com"), make_customer("them@example.com")
    branch = make_branch()
    own, other = make_ticket(mine, branch), make_ticket(theirs, branch)
    public, private = make_comment(own, staff), make_comment(own, staff, private=True)
    foreign = make_comment(other, theirs)
    files = {
        "own ticket": make_attachment(own),
        "public comment": make_attachment(public),
        "private comment": make_attachment(private),
        "other ticket": make_attachment(other),
        "other comment": make_attachment(foreign),
    }
    Watcher.objects.create(ticket=own, user=staff)
    Watcher.objects.create(ticket=other, customer=mine)
    return locals()


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_a_customer_reaches_its_own_tickets_and_their_public_parts(world):
    me = world["mine"]
    assert ids(Ticket.objects.visible_to(me)) == [world["own"].pk]
    assert ids(Comment.objects.visible_to(me)) == [world["public"].pk]
    files = world["files"]
    assert ids(Attachment.objects.visible_to(me)) == sorted(
        [files["own ticket"].pk, files["public comment"].pk]
    )
    assert ids(Watcher.objects.visible_to(me)) == ids(Watcher.objects.filter(ticket=world["own"]))
    assert ids(Customer.objects.visible_to(me)) == [me.pk]
    assert ids(User.objects.visible_to(me)) == []
    assert ids(Branch.objects.visible_to(me)) == [world["branch"].pk]


def test_staff_reach_everything_but_deleted_customers_and_placeholders(world):
    staff = world["staff"]
    for model in (Ticket, Comment, Attachment, Watcher, Branch):
        assert ids(model.objects.visible_to(staff)) == ids(model.objects.all()), model
    world["theirs"].deleted_at = world["own"].created_at
    world["theirs"].save()
    assert ids(Customer.objects.visible_to(staff)) == [world["mine"].pk]
    User.objects.create(username="ghost", is_active=False, is_placeholder=True)
    assert ids(User.objects.visible_to(staff)) == [staff.pk]
