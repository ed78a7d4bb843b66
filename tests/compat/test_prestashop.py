"""The PrestaShop 1.6 module, request for request: JSON bodies with strings for numbers, leftover fields."""

import pytest

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import Customer
from tests.compat.php import json_encode
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def every_page_load(prestashop):
    """What the module's controller asks for on every construction, before anything else."""
    assert prestashop.get("desk/users.json").status_code == 200
    staff = prestashop.get("users.json", "limit=999999")
    assert staff.status_code == 200
    return staff.json()


def get_or_create_customer(prestashop, email, stored_id=None):
    """`getOrCreateDiamanteUser`, with the page and limit filters that leak onto the lookup."""
    if stored_id is not None:
        response = prestashop.get(f"desk/users/{stored_id}.json", "page=1&limit=25")
        assert "error" not in response.json(), response.content
        return response.json()
    response = prestashop.get(f"desk/users/{email}/.json", "page=1&limit=25")
    if "error" not in response.json():
        return response.json()
    assert response.json() == {"error": "User not found."}
    created = prestashop.post_json(
        "desk/users.json", {"email": email, "firstName": "John", "lastName": "Doe"}
    )
    assert created.status_code == 201
    return created.json()


class TestMyTickets:
    def test_first_and_second_visit(self, prestashop, shop_user, branches):
        staff = every_page_load(prestashop)
        assert [user["username"] for user in staff] == ["shop"]
        assert list(staff[0]) == [
            "id",
            "username",
            "email",
            "firstName",
            "lastName",
            "enabled",
            "createdAt",
            "updatedAt",
        ]

        # First visit: no relation stored yet, so by email, then created.
        user = get_or_create_customer(prestashop, "john+shop@example.com")
        stored_id = int(user["id"])
        customer = Customer.objects.get(pk=stored_id)
        make_ticket(customer, branches[0], subject="Where is my parcel?")
        make_ticket(shop_user, branches[0], subject="Not John's")
        tickets = prestashop.get("desk/tickets.json", f"reporter=diamante_{stored_id}&limit=50")
        assert tickets.status_code == 200
        assert tickets.headers["X-Total"] == "1"  # read case-sensitively by the module
        assert [t["subject"] for t in tickets.json()] == ["Where is my parcel?"]
        assert tickets.json()[0]["reporter"] == f"diamante_{stored_id}"

        # Second visit: by the stored id, with no fallback to the email.
        every_page_load(prestashop)
        again = get_or_create_customer(prestashop, "john+shop@example.com", stored_id=stored_id)
        assert again == user
        assert Customer.objects.count() == 1

    def test_viewing_a_ticket_checks_the_reporter_and_reads_comments(self, prestashop, shop_user, branches):
        customer = Customer.objects.create(email="john@example.com", first_name="John", last_name="Doe")
        ticket = make_ticket(customer, branches[0])
        Comment.objects.create(ticket=ticket, author_customer=customer, content="Any news?")
        Comment.objects.create(ticket=ticket, author_user=shop_user, content="Internal", private=True)
        data = prestashop.get(f"desk/tickets/{ticket.pk}.json").json()
        assert data["reporter"] == f"diamante_{customer.pk}"  # compared with ===
        assert [comment["private"] for comment in data["comments"]] == [False, True]  # JSON booleans
        for key in ("key", "subject", "description", "status", "priority"):
            assert key in data


class TestTickets:
    def test_a_customer_ticket_from_my_tickets(self, prestashop, branches):
        customer = get_or_create_customer(prestashop, "john@example.com")
        body = (
            f'{{"subject":"My order","branch":"{branches[1].pk}","description":"Don&#039;t &eacute;",'
            f'"token":"f00ba4","submitTicket":"","reporter":"diamante_{customer["id"]}","source":"web",'
            '"status":"new","priority":"low"}'
        )
        response = prestashop.post_json("desk/tickets.json", body)
        assert response.status_code == 201, response.content
        assert response.json()["key"] == "BILL-1"
        assert response.json()["description"] == "Don&#039;t &eacute;"

    def test_the_contact_form_reports_as_the_shops_staff_user(self, prestashop, shop_user, branches):
        found = prestashop.get("user/filter.json", "username=shop")
        assert found.status_code == 200
        reporter = f"oro_{found.json()['id']}"
        message = "I have a question about order 5, it never came."
        body = {
            "subject": message[:15] + "...",
            "description": message,
            "id_order": "5",
            "source": "web",
            "status": "new",
            "priority": "low",
            "branch": str(branches[0].pk),
            "reporter": reporter,
        }
        response = prestashop.post_json("desk/tickets.json", json_encode(body))
        assert response.status_code == 201, response.content
        ticket = Ticket.objects.get(key=response.json()["key"])
        assert (ticket.reporter, ticket.subject) == (shop_user, "I have a questi...")

    def test_a_default_branch_of_zero_or_false(self, prestashop, shop_user, branches):
        branches[1].is_default = True
        branches[1].save()
        for branch in ("0", False):
            body = {"subject": "s", "description": "d", "source": "web", "status": "new", "priority": "low"}
            response = prestashop.post_json(
                "desk/tickets.json", {**body, "branch": branch, "reporter": f"oro_{shop_user.pk}"}
            )
            assert response.status_code == 201, response.content
            assert response.json()["branch"] == branches[1].pk

    def test_the_admin_form_with_assigner_id_and_leftovers(self, prestashop, shop_user, branches):
        branches[0].default_assignee = shop_user
        branches[0].save()
        body = {
            "branch": str(branches[0].pk),
            "subject": "Refund",
            "priority": "high",
            "status": "open",
            "reporter": f"oro_{shop_user.pk}",
            "assigner_id": "1",
            "description": "Please refund.",
            "submitAddconfiguration": "",
            "source": "web",
        }
        response = prestashop.post_json("desk/tickets.json", body)
        assert response.status_code == 201, response.content
        assert response.json()["assignee"] == shop_user.pk

    def test_the_admin_grid_with_an_unencoded_date_filter(self, prestashop, shop_user, branches):
        old = make_ticket(shop_user, branches[0], subject="Old")
        Ticket.objects.filter(pk=old.pk).update(created_at="2014-12-31T12:00:00Z")
        make_ticket(shop_user, branches[0], subject="New", status="new")
        query = "limit=50&page=1&sort=createdAt&order=DESC&status=new&createdAfter=2015-01-01T00:00:00+0000"
        response = prestashop.get("desk/tickets.json", f"{query}&branch={branches[0].pk}")
        assert response.status_code == 200, response.content
        assert [t["subject"] for t in response.json()] == ["New"]
        assert response.headers["X-Total"] == "1"


class TestComments:
    def test_a_comment_with_a_status_from_its_display_name(self, prestashop, branches):
        customer = get_or_create_customer(prestashop, "john@example.com")
        ticket = make_ticket(Customer.objects.get(pk=customer["id"]), branches[0])
        body = (
            f'{{"comment":"Thanks","token":"abc","ticket":"{ticket.pk}","ticketStatus":"in_progress",'
            f'"submitComment":"","content":"Thanks","author":"diamante_{customer["id"]}"}}'
        )
        response = prestashop.post_json("desk/comments.json", body)
        assert response.status_code == 201, response.content
        ticket.refresh_from_db()
        assert ticket.status == "in_progress"
        assert response.json()["author"] == customer["id"] and response.json()["author_type"] == "diamante"


class TestAttachments:
    def test_an_attachment_in_json_with_escaped_slashes(self, prestashop, shop_user, branches, png_base64):
        ticket = make_ticket(shop_user, branches[0])
        body = json_encode({"attachmentsInput": [{"filename": "a.png", "content": png_base64}]})
        assert "\\/" in body
        response = prestashop.post_json(f"desk/tickets/{ticket.pk}/attachments.json", body)
        assert response.status_code == 201, response.content
        assert response.json()[0]["file"]["filename"] == "a.png"
        assert ticket.attachments.get().size > 0
