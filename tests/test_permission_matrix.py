"""Contract §8 as a matrix: every route for a superuser, a view-only staff user, and customers A and B."""

import pytest
from django.contrib.auth.models import Permission

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.attachments.factories import item
from tests.conftest import client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

VIEW_PERMISSIONS = ["view_branch", "view_ticket", "view_comment", "view_attachment", "view_customer"]


def build_world():
    """A branch, a ticket of customer A with public and private comments and attachments, and the four callers."""
    superuser = make_staff("root")
    viewer = make_staff("viewer", superuser=False)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=VIEW_PERMISSIONS))
    customer_a = make_customer("a@example.com")
    customer_b = make_customer("b@example.com")
    branch = Branch.objects.create(name="Support", key="SUPP")
    spare_branch = Branch.objects.create(name="Spare", key="SPARE")

    def ticket(subject):
        branch.last_ticket_number += 1
        branch.save(update_fields=["last_ticket_number"])
        number = branch.last_ticket_number
        return Ticket.objects.create(
            branch=branch,
            number=number,
            key=f"SUPP-{number}",
            subject=subject,
            description="d",
            reporter_customer=customer_a,
        )

    main, spare = ticket("Printer on fire"), ticket("Spare")
    public_by_a = Comment.objects.create(ticket=main, author_customer=customer_a, content="public")
    public_by_staff = Comment.objects.create(ticket=main, author_user=superuser, content="staff public")
    private = Comment.objects.create(ticket=main, author_user=superuser, content="secret", private=True)
    spare_comment = Comment.objects.create(ticket=main, author_customer=customer_a, content="spare")
    ticket_file = Attachment.objects.create(ticket=main, filename="a.txt", file="attachments/x")
    comment_file = Attachment.objects.create(comment=public_by_a, filename="b.txt", file="attachments/y")
    return {
        "callers": {"super": superuser, "viewer": viewer, "A": customer_a, "B": customer_b},
        "branch": branch.pk,
        "spare_branch": spare_branch.pk,
        "ticket": main.pk,
        "key": main.key,
        "spare_ticket": spare.pk,
        "public_by_a": public_by_a.pk,
        "public_by_staff": public_by_staff.pk,
        "private": private.pk,
        "spare_comment": spare_comment.pk,
        "ticket_file": ticket_file.pk,
        "comment_file": comment_file.pk,
        "super_id": superuser.pk,
    }


def new_ticket_body(w, caller):
    body = {
        "branch": w["branch"],
        "subject": "s",
        "description": "d",
        "status": "new",
        "priority": "low",
        "source": "web",
    }
    if caller in ("super", "viewer"):
        body["reporter"] = f"oro_{w['super_id']}"
    return body


#   (method, path template, body maker, {caller: expected status})
ROUTES = [
    ("get", "branches", None, dict(super=200, viewer=200, A=200, B=200)),
    ("post", "branches", lambda w, c: {"name": "New Branch"}, dict(super=201, viewer=403, A=403, B=403)),
    ("get", "branches/{branch}", None, dict(super=200, viewer=200, A=200, B=200)),
    (
        "patch",
        "branches/{branch}",
        lambda w, c: {"name": "Renamed"},
        dict(super=200, viewer=403, A=403, B=403),
    ),
    ("delete", "branches/{spare_branch}", None, dict(super=204, viewer=403, A=403, B=403)),
    ("get", "tickets", None, dict(super=200, viewer=200, A=200, B=200)),
    ("post", "tickets", new_ticket_body, dict(super=201, viewer=403, A=201, B=201)),
    ("get", "tickets/search?q=printer", None, dict(super=200, viewer=200, A=200, B=200)),
    ("get", "tickets/{ticket}", None, dict(super=200, viewer=200, A=200, B=404)),
    ("get", "tickets/{key}", None, dict(super=200, viewer=200, A=200, B=404)),
    ("patch", "tickets/{ticket}", lambda w, c: {"subject": "x"}, dict(super=200, viewer=403, A=200, B=404)),
    ("put", "tickets/{key}", lambda w, c: {"subject": "x"}, dict(super=200, viewer=403, A=200, B=404)),
    ("delete", "tickets/{spare_ticket}", None, dict(super=204, viewer=403, A=403, B=403)),
    ("get", "ticket/{ticket}/reporter", None, dict(super=200, viewer=200, A=200, B=404)),
    ("get", "ticket/{ticket}/assignee", None, dict(super=200, viewer=200, A=200, B=404)),
    ("get", "comments", None, dict(super=200, viewer=200, A=200, B=200)),
    (
        "post",
        "comments",
        lambda w, c: {"content": "hi", "ticket": w["ticket"], "author": f"oro_{w['super_id']}"},
        dict(super=201, viewer=403, A=201, B=404),
    ),
    ("get", "comments/{public_by_a}", None, dict(super=200, viewer=200, A=200, B=404)),
    ("get", "comments/{private}", None, dict(super=200, viewer=200, A=404, B=404)),
    (
        "patch",
        "comments/{public_by_a}",
        lambda w, c: {"content": "e"},
        dict(super=200, viewer=403, A=200, B=404),
    ),
    (
        "patch",
        "comments/{public_by_staff}",
        lambda w, c: {"content": "e"},
        dict(super=200, viewer=403, A=403, B=404),
    ),
    ("delete", "comments/{spare_comment}", None, dict(super=204, viewer=403, A=204, B=404)),
    ("delete", "comments/{private}", None, dict(super=204, viewer=403, A=404, B=404)),
    ("get", "comment/{public_by_a}/author", None, dict(super=200, viewer=200, A=200, B=404)),
    ("get", "comment/{private}/author", None, dict(super=200, viewer=200, A=404, B=404)),
    ("get", "tickets/{ticket}/attachments", None, dict(super=200, viewer=200, A=200, B=404)),
    (
        "post",
        "tickets/{ticket}/attachments",
        lambda w, c: {"attachmentsInput": [item("n.txt", b"n")]},
        dict(super=201, viewer=403, A=201, B=404),
    ),
    ("get", "tickets/{ticket}/attachments/{ticket_file}", None, dict(super=200, viewer=200, A=200, B=404)),
    ("delete", "tickets/{ticket}/attachments/{ticket_file}", None, dict(super=204, viewer=403, A=403, B=404)),
    ("get", "comments/{public_by_a}/attachments", None, dict(super=200, viewer=200, A=200, B=404)),
    ("get", "comments/{private}/attachments", None, dict(super=200, viewer=200, A=404, B=404)),
    (
        "post",
        "comments/{public_by_a}/attachments",
        lambda w, c: {"attachmentsInput": [item("n.txt", b"n")]},
        dict(super=201, viewer=403, A=201, B=404),
    ),
    (
        "get",
        "comments/{public_by_a}/attachments/{comment_file}",
        None,
        dict(super=200, viewer=200, A=200, B=404),
    ),
    (
        "delete",
        "comments/{public_by_a}/attachments/{comment_file}",
        None,
        dict(super=204, viewer=403, A=204, B=404),
    ),
    ("get", "users", None, dict(super=200, viewer=200, A=403, B=403)),
    (
        "post",
        "users",
        lambda w, c: {"email": "new@example.com", "firstName": "N", "lastName": "U"},
        dict(super=201, viewer=403, A=403, B=403),
    ),
    ("get", "users/a@example.com/", None, dict(super=200, viewer=200, A=403, B=403)),
    ("get", "users/current", None, dict(super=404, viewer=404, A=200, B=200)),
    ("patch", "users/current", lambda w, c: {"firstName": "Ann"}, dict(super=405, viewer=405, A=200, B=200)),
]

CASES = [
    pytest.param(method, path, make_body, caller, expected[caller], id=f"{caller}-{method}-{path}")
    for method, path, make_body, expected in ROUTES
    for caller in ("super", "viewer", "A", "B")
]


@pytest.mark.parametrize(("method", "path", "make_body", "caller", "expected"), CASES)
def test_permission_matrix(method, path, make_body, caller, expected):
    world = build_world()
    client = client_for(world["callers"][caller])
    url = path.format(**world)
    kwargs = {"format": "json"} if make_body else {}
    args = (make_body(world, caller),) if make_body else ()
    response = getattr(client, method)(url, *args, **kwargs)
    assert response.status_code == expected, response.content


def test_customer_b_sees_nothing_of_a(db):
    world = build_world()
    client = client_for(world["callers"]["B"])
    for path in ("tickets", "comments", "tickets/search?q=printer"):
        response = client.get(path)
        assert response.json() == [] and response["X-Total"] == "0", path


def test_private_comments_never_reach_customers(db):
    world = build_world()
    client = client_for(world["callers"]["A"])
    ticket = client.get(f"tickets/{world['ticket']}").json()
    assert world["private"] not in [c["id"] for c in ticket["comments"]]
    listed = client.get("comments").json()
    assert world["private"] not in [c["id"] for c in listed]
    assert client.get("comments?private=true").json() == []
