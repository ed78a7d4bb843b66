"""The Magento 1 extension, request for request: Zend_Http_Client forms, hand-built query strings."""

import pytest

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import Customer
from tests.compat.php import http_build_query
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def diamante_user(magento, email, stored_id=None):
    """`getOrCreateDiamanteUser`: by the stored id (falling back on a 404), by email, else created."""
    if stored_id is not None:
        response = magento.get(f"desk/users/{stored_id}.json")
        if response.status_code != 404:
            return response.json()
    response = magento.get(f"desk/users/{email}/.json")  # the email raw, `+` and `@` unencoded
    if response.status_code != 404:
        return response.json()
    created = magento.post_form(
        "desk/users.json", http_build_query({"email": email, "firstName": "John", "lastName": "Doe"})
    )
    assert created.status_code == 201  # the extension accepts exactly 201
    return created.json()


class TestCustomerPages:
    def test_my_tickets_first_and_later_visits(self, magento, shop_user, branches):
        user = diamante_user(magento, "john+m@example.com")
        customer = Customer.objects.get(pk=user["id"])
        for subject in ("First", "Second"):
            make_ticket(customer, branches[0], subject=subject, priority="high", status="in_progress")
        assert diamante_user(magento, "john+m@example.com", stored_id=user["id"]) == user
        page = magento.get("desk/tickets.json", f"reporter=diamante_{user['id']}&page=1&limit=10")
        assert page.status_code == 200
        assert page.headers["X-total"] == "2"
        row = page.json()[0]
        assert {"id", "subject", "created_at", "priority", "status", "reporter", "key"} <= set(row)
        assert (row["priority"], row["status"]) == ("high", "in_progress")  # used as array keys

    def test_a_customer_ticket_with_an_attachment_then_a_comment(self, magento, branches, png_base64):
        user = diamante_user(magento, "john@example.com")
        body = http_build_query(
            {
                "subject": "Broken item",
                "description": "<p>It broke</p>",
                "branch": branches[1].pk,
                "source": "web",
                "status": "new",
                "priority": "medium",
                "reporter": f"diamante_{user['id']}",
                "order_increment_id": "100000012",
            }
        )
        created = magento.post_form("desk/tickets.json", body)
        assert created.status_code == 201, created.content
        ticket_id = created.json()["id"]
        upload = http_build_query({"attachmentsInput": [{"filename": "a.png", "content": png_base64}]})
        assert "attachmentsInput%5B0%5D%5Bcontent%5D=" in upload and "%2B" in upload and "%2F" in upload
        attached = magento.post_form(f"desk/tickets/{ticket_id}/attachments.json", upload)
        assert attached.status_code == 201, attached.content
        comment = http_build_query(
            {
                "author": f"diamante_{user['id']}",
                "ticket": ticket_id,
                "content": "Thanks",
                "ticketStatus": "open",
            }
        )
        commented = magento.post_form("desk/comments.json", comment)
        assert commented.status_code == 201, commented.content
        ticket = Ticket.objects.get(pk=ticket_id)
        assert (ticket.status, ticket.attachments.count(), ticket.comments.count()) == ("open", 1, 1)
        viewed = magento.get(f"desk/tickets/{ticket.key}.json")
        assert viewed.json()["comments"][0]["content"] == "Thanks"


class TestAdmin:
    def test_the_ticket_grid_with_filters_sorting_and_dates(self, magento, shop_user, branches):
        early = make_ticket(shop_user, branches[0], subject="Printer foo early", priority="high")
        Ticket.objects.filter(pk=early.pk).update(created_at="2014-06-01T00:00:00Z")
        make_ticket(shop_user, branches[0], subject="Printer foo b", priority="high")
        make_ticket(shop_user, branches[0], subject="Printer foo a", priority="high")
        make_ticket(shop_user, branches[0], subject="Printer foo low", priority="low")
        query = (
            "limit=20&page=1&subject=foo&priority=high&status=new"
            "&createdAfter=2015-01-01T00:00:00+00:00&createdBefore=2099-01-31T23:59:59+00:00"
            "&sort=subject&order=ASC"
        )
        response = magento.get("desk/tickets.json", query)
        assert response.status_code == 200, response.content
        assert [t["subject"] for t in response.json()] == ["Printer foo a", "Printer foo b"]
        assert response.headers["X-Total"] == "2"
        assert magento.get("desk/users.json").status_code == 200  # the email column's lookups

    def test_the_ticket_form_forwards_every_parameter(self, magento, shop_user, branches):
        branches[0].default_assignee = shop_user
        branches[0].save()
        customer = Customer.objects.create(email="c@example.com", first_name="C", last_name="D")
        for lookup in ("desk/branches.json", "desk/users.json"):
            assert magento.get(lookup).status_code == 200
        assert magento.get("users.json", "limit=999999").json()[0]["username"] == "shop"
        body = http_build_query(
            {
                "key": "0f3c9e1b2a",  # Magento's admin URL secret
                "form_key": "AbC123",
                "branch": str(branches[0].pk),
                "subject": "Damaged box",
                "status": "new",
                "priority": "low",
                "source": "web",
                "reporter": f"diamante_{customer.pk}",
                "assignee": "0",  # nobody chosen
                "description": "The box arrived wet.",
            }
        )
        response = magento.post_form("desk/tickets.json", body)
        assert response.status_code == 201, response.content
        assert response.json()["key"] == "GS-1" and response.json()["assignee"] == shop_user.pk

    def test_the_retry_queue_with_a_leaked_filter(self, magento, shop_user, branches):
        found = magento.get("user/filter.json", "username=shop")
        assert found.status_code == 200
        body = http_build_query(
            {
                "subject": "Foo\n",
                "description": "Bar\n",
                "reporter": f"oro_{found.json()['id']}",
                "branch": branches[0].pk,
                "source": "web",
                "status": "new",
                "priority": "medium",
                "order_increment_id": None,  # dropped by http_build_query
            }
        )
        response = magento.post_form("desk/tickets.json", body, query="username=shop")
        assert response.status_code == 201, response.content  # anything else raises an admin notice
        assert Ticket.objects.get().reporter == shop_user

    def test_an_unknown_staff_user_is_a_bare_404(self, magento):
        response = magento.get("user/filter.json", "username=nobody")
        assert (response.status_code, response.content) == (404, b"")

    def test_the_order_view_simple_form(self, magento, shop_user, branches):
        magento.get("user/filter.json", "username=shop")
        body = http_build_query(
            {
                "subject": "Late",
                "description": "Order late",
                "branch": branches[1].pk,
                "source": "web",
                "status": "new",
                "priority": "low",
                "order_increment_id": "100000013",
                "reporter": f"oro_{shop_user.pk}",
            }
        )
        response = magento.post_form("desk/tickets.json", body, query="username=shop")
        assert response.status_code == 201 and response.json()["key"] == "BILL-1"

    def test_check_connection(self, magento, branches):
        response = magento.get("desk/branches.json")
        assert [b["name"] for b in response.json()] == ["General support", "Billing"]

    def test_private_comments_reach_the_shop_and_it_hides_them(self, magento, shop_user, branches):
        ticket = make_ticket(shop_user, branches[0])
        Comment.objects.create(ticket=ticket, author_user=shop_user, content="note", private=True)
        assert magento.get(f"desk/tickets/{ticket.key}.json").json()["comments"][0]["private"] is True
