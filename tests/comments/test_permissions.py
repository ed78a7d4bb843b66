"""Who may do what with comments: staff by model permissions, customers on their own tickets only."""

import pytest
from django.contrib.auth.models import Permission

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.comments.factories import age, make_comment, make_ticket
from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

DENIED = {"error": "Not enough permissions."}
COMMENT_NOT_FOUND = {"error": "Comment loading failed, comment not found."}
TICKET_NOT_FOUND = {"error": "Ticket loading failed, ticket not found."}


def staff_with(*codenames):
    """A staff user holding only the given comment permissions, and a client for it."""
    user = make_staff("limited", superuser=False)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return client_for(user)


class TestStaff:
    def test_view_only_staff_reads_but_does_not_write(self, admin_user):
        client = staff_with("view_comment")
        ticket = make_ticket(admin_user)
        comment = make_comment(ticket, admin_user)
        assert client.get("comments").status_code == 200
        assert client.get(f"comments/{comment.pk}").status_code == 200
        assert client.get(f"comment/{comment.pk}/author").status_code == 200
        created = client.post(
            "comments", {"content": "x", "ticket": ticket.pk, "author": "oro_1"}, format="json"
        )
        assert (created.status_code, created.json()) == (403, DENIED)
        assert client.patch(f"comments/{comment.pk}", {"content": "x"}, format="json").status_code == 403
        assert client.delete(f"comments/{comment.pk}").status_code == 403
        assert Comment.objects.get(pk=comment.pk).content != "x"

    @pytest.mark.parametrize(
        ("codename", "method", "expected"),
        [("add_comment", "post", 201), ("change_comment", "patch", 200), ("delete_comment", "delete", 204)],
    )
    def test_each_write_needs_its_permission(self, admin_user, codename, method, expected):
        client = staff_with(codename)
        ticket = make_ticket(admin_user)
        comment = make_comment(ticket, admin_user)
        if method == "post":
            response = client.post(
                "comments",
                {"content": "x", "ticket": ticket.pk, "author": admin_user.person_id},
                format="json",
            )
        else:
            response = getattr(client, method)(f"comments/{comment.pk}", {"content": "y"}, format="json")
        assert response.status_code == expected, response.content
        assert client.get("comments").status_code == 403

    def test_staff_without_permissions_cannot_read(self, admin_user):
        client = staff_with()
        comment = make_comment(make_ticket(admin_user), admin_user)
        assert client.get("comments").status_code == 403
        assert client.get(f"comments/{comment.pk}").json() == DENIED
        assert client.get(f"comment/{comment.pk}/author").status_code == 403

    def test_keys_work_only_on_their_own_mount(self, admin_user, customer):
        staff_on_customer = client_for(admin_user)
        staff_on_customer.prefix = CUSTOMER_PREFIX
        assert staff_on_customer.get("comments").status_code == 401
        customer_on_staff = client_for(customer)
        customer_on_staff.prefix = STAFF_PREFIX
        assert customer_on_staff.get("comments").status_code == 401


@pytest.fixture
def world(admin_user):
    """Customers A and B, each with a ticket holding a public staff comment, a private one and their own."""
    alice = make_customer("alice@example.com", "Alice", "A")
    bob = make_customer("bob@example.com", "Bob", "B")
    mine = age(make_ticket(alice))
    theirs = make_ticket(bob)
    return {
        "alice": alice,
        "bob": bob,
        "client": client_for(alice),
        "mine": mine,
        "theirs": theirs,
        "staff_public": make_comment(mine, admin_user, "Public answer"),
        "staff_private": make_comment(mine, admin_user, "Internal note", private=True),
        "own": make_comment(mine, alice, "My question"),
        "bob_public": make_comment(theirs, bob, "Bob asks"),
        "bob_staff": make_comment(theirs, admin_user, "Answer to Bob"),
    }


class TestCustomerReads:
    def test_list_holds_only_public_comments_on_own_tickets(self, world):
        response = world["client"].get("comments")
        assert response.status_code == 200
        assert response["X-Total"] == "2"
        assert [c["id"] for c in response.json()] == [world["staff_public"].pk, world["own"].pk]

    def test_filters_cannot_widen_the_view(self, world):
        client = world["client"]
        assert client.get("comments?private=true").json() == []
        assert client.get(f"comments?ticket={world['theirs'].pk}").json() == []
        assert client.get(f"comments?author=diamante_{world['bob'].pk}")["X-Total"] == "0"
        assert client.get("comments?content=internal").json() == []

    @pytest.mark.parametrize("name", ["staff_private", "bob_public", "bob_staff"])
    def test_hidden_comments_are_404_everywhere(self, world, name):
        client, comment = world["client"], world[name]
        for response in (
            client.get(f"comments/{comment.pk}"),
            client.get(f"comment/{comment.pk}/author"),
            client.patch(f"comments/{comment.pk}", {"content": "x"}, format="json"),
            client.put(f"comments/{comment.pk}", {"content": "x"}, format="json"),
            client.delete(f"comments/{comment.pk}"),
        ):
            assert response.status_code == 404
            assert response.json() == COMMENT_NOT_FOUND
        assert Comment.objects.get(pk=comment.pk).content != "x"

    def test_visible_comment_and_its_author(self, world, admin_user):
        client = world["client"]
        assert client.get(f"comments/{world['staff_public'].pk}").json()["author"] == admin_user.pk
        author = client.get(f"comment/{world['own'].pk}/author").json()
        assert author == {
            "email": "alice@example.com",
            "name": "Alice A",
            "id": f"diamante_{world['alice'].pk}",
        }


class TestCustomerWrites:
    def test_create_on_own_ticket_with_self_as_author(self, world):
        response = world["client"].post(
            "comments",
            {"content": "Thanks", "ticket": world["mine"].pk, "author": "oro_1", "ticketStatus": "closed"},
            format="json",
        )
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["author"], data["author_type"], data["private"]) == (
            world["alice"].pk,
            "diamante",
            False,
        )
        assert response["Location"] == f"http://testserver{CUSTOMER_PREFIX}/comments/{data['id']}"
        assert Comment.objects.get(pk=data["id"]).author_customer == world["alice"]
        ticket = Ticket.objects.get(pk=world["mine"].pk)
        assert ticket.status == "closed"
        assert ticket.updated_at > world["mine"].updated_at

    @pytest.mark.parametrize("author", [None, "garbage", "diamante_999"])
    def test_author_is_not_needed_and_whatever_is_sent_is_ignored(self, world, author):
        form = f"content=Hi&ticket={world['mine'].pk}&private=0" + (f"&author={author}" if author else "")
        response = world["client"].post("comments", form, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 201, response.content
        assert response.json()["author"] == world["alice"].pk

    def test_cannot_comment_on_another_customers_ticket(self, world):
        before = Comment.objects.count()
        response = world["client"].post(
            "comments", {"content": "Hi", "ticket": world["theirs"].pk}, format="json"
        )
        assert response.status_code == 404
        assert response.json() == TICKET_NOT_FOUND
        staff_ticket = make_ticket(make_staff("reporter"))
        response = world["client"].post(
            "comments", {"content": "Hi", "ticket": staff_ticket.pk}, format="json"
        )
        assert response.json() == TICKET_NOT_FOUND
        assert Comment.objects.count() == before

    @pytest.mark.parametrize("private", [True, "true", "1"])
    def test_private_comment_is_403(self, world, private):
        before = Comment.objects.count()
        response = world["client"].post(
            "comments", {"content": "Hi", "ticket": world["mine"].pk, "private": private}, format="json"
        )
        assert (response.status_code, response.json()) == (403, DENIED)
        assert Comment.objects.count() == before

    def test_edit_and_delete_own_comment(self, world):
        client, own = world["client"], world["own"]
        response = client.put(f"comments/{own.pk}", {"content": "Edited", "private": False}, format="json")
        assert response.status_code == 200, response.content
        assert Comment.objects.get(pk=own.pk).content == "Edited"
        assert (
            client.patch(f"comments/{own.pk}", {"ticketStatus": "pending"}, format="json").status_code == 200
        )
        assert Ticket.objects.get(pk=world["mine"].pk).status == "pending"
        assert client.delete(f"comments/{own.pk}").status_code == 204
        assert not Comment.objects.filter(pk=own.pk).exists()

    def test_own_comment_cannot_become_private(self, world):
        response = world["client"].patch(f"comments/{world['own'].pk}", {"private": "true"}, format="json")
        assert (response.status_code, response.json()) == (403, DENIED)
        assert Comment.objects.get(pk=world["own"].pk).private is False

    def test_visible_comments_of_others_are_403_to_change(self, world):
        client, comment = world["client"], world["staff_public"]
        assert client.patch(f"comments/{comment.pk}", {"content": "x"}, format="json").json() == DENIED
        assert client.put(f"comments/{comment.pk}", {"content": "x"}, format="json").status_code == 403
        assert client.delete(f"comments/{comment.pk}").status_code == 403
        assert Comment.objects.get(pk=comment.pk).content == "Public answer"

    def test_unknown_field_on_update_is_400(self, world):
        response = world["client"].patch(f"comments/{world['own'].pk}", {"x": 1}, format="json")
        assert response.json() == {"error": 'Comment does not have "x" property.'}

    def test_wrong_method_is_405_not_403(self, world):
        client, own = world["client"], world["own"]
        assert client.post(f"comments/{own.pk}", {"content": "x"}, format="json").status_code == 405
        assert client.delete(f"comment/{own.pk}/author").status_code == 405
        assert client.put("comments", {"content": "x"}, format="json").status_code == 405
