"""The original customer portal, request for request: jQuery JSON, `$.param` uploads, `X-Location`."""

from urllib.parse import unquote

import pytest

from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.tickets.services import ticket_update
from tests.compat.conftest import PORTAL_API
from tests.compat.php import http_build_query
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded; charset=UTF-8"


def key_from_x_location(response):
    """What view.js does with a 301: the URL minus `{apiUrl}/desk/tickets`, minus a slash, decoded."""
    url_root = "http://testserver" + PORTAL_API.rstrip("/") + "/desk/tickets"
    return unquote(response.headers["X-Location"].replace(url_root, "").replace("/", "", 1))


class TestSession:
    def test_login_reads_the_current_customer(self, portal, portal_customer):
        response = portal.get("desk/users/current")
        assert response.status_code == 200
        assert response.json()["id"] == portal_customer.pk

    def test_profile_edit(self, portal, portal_customer):
        response = portal.post_json("desk/users/current", {"firstName": "Johnny"}, method="PATCH")
        assert response.status_code == 200 and response.json()["first_name"] == "Johnny"


class TestTickets:
    def test_the_list_pages_and_search(self, portal, portal_customer, branches):
        for index in range(12):
            make_ticket(portal_customer, branches[0], subject=f"Printer {index}")
        first = portal.get("desk/tickets", "page=1&limit=10&sort=createdAt&order=desc")
        assert first.status_code == 200
        assert (first.headers["X-Total"], len(first.json())) == ("12", 10)
        assert 'rel="next"' in first.headers["Link"] and 'rel="last"' in first.headers["Link"]
        second = portal.get(
            "desk/tickets", "page=2&limit=10&total_pages=2&total_entries=12&sort=createdAt&order=desc"
        )
        assert [t["subject"] for t in second.json()] == ["Printer 1", "Printer 0"]
        found = portal.get("desk/tickets/search", "q=printer 1&page=1&limit=10&sort=createdAt&order=desc")
        assert sorted(t["subject"] for t in found.json()) == ["Printer 1", "Printer 10", "Printer 11"]

    def test_a_new_ticket_without_branch_goes_to_the_default(
        self, portal, portal_customer, branches, png_base64
    ):
        Branch.objects.filter(pk=branches[1].pk).update(is_default=True)
        body = {
            "subject": "Printer",
            "description": "<p>It is on fire</p>",
            "priority": "medium",
            "status": "new",
            "source": "web",
            "reporter": portal_customer.person_id,
            "attachmentsInput": [{"filename": "a.png", "content": png_base64}],
        }
        response = portal.post_json("desk/tickets", body)
        assert response.status_code == 201, response.content
        assert response.json()["key"] == "BILL-1"
        assert len(response.json()["attachments"]) == 1
        opened = portal.get(f"desk/tickets/{response.json()['key']}")
        assert opened.json()["subject"] == "Printer"

    def test_close_and_edit_by_key(self, portal, portal_customer, branches):
        ticket = make_ticket(portal_customer, branches[0])
        closed = portal.post_json(f"desk/tickets/{ticket.key}", {"status": "closed"}, method="PATCH")
        assert closed.status_code == 200 and closed.json()["status"] == "closed"
        edited = portal.post_json(
            f"desk/tickets/{ticket.key}", {"subject": "New words", "priority": "high"}, method="PATCH"
        )
        assert (edited.json()["subject"], edited.json()["priority"]) == ("New words", "high")

    def test_a_moved_ticket_opens_by_its_old_key(self, portal, portal_customer, branches):
        ticket = make_ticket(portal_customer, branches[0])
        old_key = ticket.key
        ticket_update(ticket=ticket, branch=branches[1])
        moved = portal.get(f"desk/tickets/{old_key}")
        assert moved.status_code == 301
        assert "Location" not in moved.headers and moved.content == b""
        new_key = key_from_x_location(moved)
        assert new_key == "BILL-1"
        assert portal.get(f"desk/tickets/{new_key}").json()["id"] == ticket.pk

    def test_upload_an_attachment_as_jquery_sends_it(self, portal, portal_customer, branches, png_base64):
        ticket = make_ticket(portal_customer, branches[0])
        body = http_build_query({"attachmentsInput": [{"filename": "a.png", "content": png_base64}]})
        uploaded = portal.call(
            "POST", f"desk/tickets/{ticket.pk}/attachments", body=body, content_type=FORM, HTTP_ACCEPT="*/*"
        )
        assert uploaded.status_code == 201, uploaded.content
        assert uploaded.json()[0]["file"]["filename"] == "a.png"
        assert ticket.attachments.get().size > 0


class TestComments:
    def test_create_attach_and_edit_with_the_whole_model(self, portal, portal_customer, branches, png_base64):
        ticket = make_ticket(portal_customer, branches[0], status="open")
        body = {
            "content": "<p>Thanks</p>",
            "ticket": ticket.pk,
            "ticketStatus": "open",
            "author": portal_customer.person_id,
        }
        created = portal.post_json("desk/comments", body)
        assert created.status_code == 201, created.content
        comment = created.json()
        upload = http_build_query({"attachmentsInput": [{"filename": "b.png", "content": png_base64}]})
        attached = portal.call(
            "POST", f"desk/comments/{comment['id']}/attachments", body=upload, content_type=FORM
        )
        assert attached.status_code == 201, attached.content
        whole = {
            **portal.get(f"desk/comments/{comment['id']}").json(),
            "content": "<p>Thanks a lot</p>",
            "ticketStatus": "open",
        }
        edited = portal.post_json(f"desk/comments/{comment['id']}", whole, method="PUT")
        assert edited.status_code == 200, edited.content
        assert Comment.objects.get(pk=comment["id"]).content == "<p>Thanks a lot</p>"
        assert Ticket.objects.get(pk=ticket.pk).status == "open"


class TestWatchers:
    def test_list_add_by_email_and_remove(self, portal, portal_customer, branches):
        ticket = make_ticket(portal_customer, branches[0])
        added = portal.post_json(f"desk/tickets/{ticket.pk}/watchers", {"email": "boss@example.com"})
        assert added.status_code == 201, added.content
        watchers = portal.get(f"desk/tickets/{ticket.pk}/watchers").json()
        assert [w["email"] for w in watchers] == ["boss@example.com"]
        removed = portal.call("DELETE", f"desk/tickets/{ticket.pk}/watchers/{watchers[0]['id']}")
        assert removed.status_code == 204
        assert portal.get(f"desk/tickets/{ticket.pk}/watchers").json() == []
