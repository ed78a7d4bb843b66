"""Ticket updates, moves between branches with their old-key redirects, and deletes."""

import pytest

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.conftest import STAFF_PREFIX
from tests.factories import make_customer, make_staff
from tests.tickets.factories import (
    BRANCH_NOT_FOUND,
    STATUSES,
    TICKET_NOT_FOUND,
    USER_NOT_FOUND,
    age,
    make_attachment,
    make_branch,
    make_comment,
    make_ticket,
)

pytestmark = pytest.mark.django_db


class TestUpdate:
    @pytest.mark.parametrize("method", ["put", "patch"])
    @pytest.mark.parametrize("by", ["id", "key"])
    def test_update_is_partial_and_moves_updated_at(self, api, admin_user, branch, method, by):
        ticket = age(make_ticket(admin_user, branch))
        ref = ticket.pk if by == "id" else ticket.key
        response = getattr(api, method)(
            f"tickets/{ref}", {"subject": "Test Ticket Updated PUT", "status": "On Hold"}, format="json"
        )
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["subject"], data["status"], data["description"]) == (
            "Test Ticket Updated PUT",
            "on_hold",
            "It smokes.",
        )
        assert data["updated_at"] != data["created_at"]
        assert Ticket.objects.get(pk=ticket.pk).updated_at > ticket.updated_at

    def test_every_updatable_field(self, api, admin_user, branch):
        agent = make_staff("agent", superuser=False)
        ticket = make_ticket(admin_user, branch)
        changes = {
            "subject": "S",
            "description": "D",
            "status": "closed",
            "priority": "High",
            "source": "PHONE",
            "assignee": f"oro_{agent.pk}",
        }
        data = api.patch(f"tickets/{ticket.pk}", changes, format="json").json()
        assert [data[name] for name in changes] == ["S", "D", "closed", "high", "phone", agent.pk]
        unassigned = api.patch(f"tickets/{ticket.pk}", {"assignee": None}, format="json")
        assert "assignee" not in unassigned.json()
        assert Ticket.objects.get(pk=ticket.pk).assignee is None

    def test_unknown_field_is_400(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.put(f"tickets/{ticket.pk}", {"x": 1}, format="json")
        assert response.status_code == 400
        assert response.json() == {"error": 'Ticket does not have "x" property.'}

    def test_sent_back_representation_is_accepted_and_reporter_stays(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        data = api.get(f"tickets/{ticket.pk}").json()
        data.update(subject="Again", reporter=f"diamante_{make_customer().pk}")
        response = api.put(f"tickets/{ticket.pk}", data, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["reporter"] == f"oro_{admin_user.pk}"
        assert response.json()["key"] == ticket.key

    @pytest.mark.parametrize(
        ("fields", "status", "error"),
        [
            ({"status": "done"}, 400, f"status: Should be one of: {STATUSES}."),
            ({"subject": ""}, 400, "subject: This field may not be blank."),
            ({"assignee": 999999}, 404, USER_NOT_FOUND["error"]),
            ({"branch": 999999}, 404, BRANCH_NOT_FOUND["error"]),
        ],
    )
    def test_bad_update_is_refused_and_changes_nothing(self, api, admin_user, branch, fields, status, error):
        ticket = make_ticket(admin_user, branch)
        response = api.patch(f"tickets/{ticket.pk}", fields, format="json")
        assert response.status_code == status
        assert response.json()["error"] == error
        assert Ticket.objects.get(pk=ticket.pk).status == "new"

    def test_body_that_is_not_an_object_is_400(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.patch(f"tickets/{ticket.pk}", ["subject"], format="json")
        assert response.status_code == 400
        assert response.json() == {"error": "Request body should be an object."}

    def test_missing_ticket_is_404(self, api):
        for path in ("tickets/999999", "tickets/NOPE-1"):
            response = api.patch(path, {"subject": "x"}, format="json")
            assert response.status_code == 404
            assert response.json() == TICKET_NOT_FOUND

    def test_form_update(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.put(
            f"tickets/{ticket.key}",
            "status=In+progress&subject=Formed",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200, response.content
        assert (response.json()["status"], response.json()["subject"]) == ("in_progress", "Formed")


class TestMove:
    def test_move_gives_a_new_key_and_the_old_one_redirects(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        target = make_branch("Target", key="TARGET")
        make_ticket(admin_user, target)
        response = api.patch(
            f"tickets/{ticket.key}", {"branch": target.pk, "subject": "Moved"}, format="json"
        )
        assert response.status_code == 200, response.content
        assert (response.json()["key"], response.json()["branch"]) == ("TARGET-2", target.pk)
        assert response.json()["subject"] == "Moved"
        old = api.get("tickets/BRANCHB-1")
        assert old.status_code == 301
        assert old["X-Location"] == f"http://testserver{STAFF_PREFIX}/tickets/TARGET-2"
        # Only X-Location: a client that follows Location would resend its single-use WSSE header.
        assert "Location" not in old and old.content == b""
        assert api.get("tickets/TARGET-2").json()["id"] == ticket.pk

    @pytest.mark.parametrize(
        ("path", "expected"),
        [
            ("/api/rest/v1/desk/tickets/BRANCHB-1.xml", "/api/rest/v1/desk/tickets/TARGET-1.xml"),
            ("/api/rest/latest/desk/tickets/branchb-1/", "/api/rest/latest/desk/tickets/TARGET-1/"),
            ("/api/rest/latest/desk/tickets/BRANCHB-1/.json", "/api/rest/latest/desk/tickets/TARGET-1/.json"),
        ],
    )
    def test_redirect_keeps_version_slash_and_suffix(self, api, admin_user, branch, path, expected):
        ticket = make_ticket(admin_user, branch)
        api.patch(f"tickets/{ticket.pk}", {"branch": make_branch("Target", key="TARGET").pk}, format="json")
        response = api.get(path)
        assert response.status_code == 301
        assert response["X-Location"] == f"http://testserver{expected}"
        assert response.content == b""

    def test_redirect_to_a_cyrillic_key_is_encoded(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        api.patch(f"tickets/{ticket.pk}", {"branch": make_branch("Ёлка", key="ЁЛКА").pk}, format="json")
        response = api.get("tickets/BRANCHB-1")
        assert response["X-Location"] == f"http://testserver{STAFF_PREFIX}/tickets/%D0%81%D0%9B%D0%9A%D0%90-1"

    def test_every_old_key_of_a_ticket_moved_twice_redirects_to_the_current_one(
        self, api, admin_user, branch
    ):
        ticket = make_ticket(admin_user, branch)
        second = make_branch("Second", key="SECOND")
        third = make_branch("Third", key="THIRD")
        api.patch(f"tickets/{ticket.pk}", {"branch": second.pk}, format="json")
        api.patch("tickets/SECOND-1", {"branch": third.pk}, format="json")
        for old in ("BRANCHB-1", "SECOND-1"):
            response = api.get(f"tickets/{old}")
            assert response.status_code == 301
            assert response["X-Location"] == f"http://testserver{STAFF_PREFIX}/tickets/THIRD-1"
        back = api.patch("tickets/THIRD-1", {"branch": branch.pk}, format="json")
        assert back.json()["key"] == "BRANCHB-2"
        assert api.get("tickets/THIRD-1")["X-Location"].endswith("/tickets/BRANCHB-2")

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_other_methods_on_an_old_key_are_404(self, api, admin_user, branch, method):
        ticket = make_ticket(admin_user, branch)
        api.patch(f"tickets/{ticket.pk}", {"branch": make_branch("Target", key="TARGET").pk}, format="json")
        response = getattr(api, method)("tickets/BRANCHB-1", {"subject": "x"}, format="json")
        assert response.status_code == 404
        assert response.json() == TICKET_NOT_FOUND
        assert Ticket.objects.filter(pk=ticket.pk, subject="Printer on fire").exists()

    def test_moving_to_the_same_branch_keeps_the_key(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.patch(f"tickets/{ticket.pk}", {"branch": branch.pk}, format="json")
        assert response.json()["key"] == "BRANCHB-1"
        assert api.get("tickets/BRANCHB-1").status_code == 200


class TestDelete:
    @pytest.mark.parametrize("by", ["id", "key"])
    def test_delete_is_204_then_404(self, api, admin_user, branch, by):
        ticket = make_ticket(admin_user, branch)
        make_attachment(make_comment(ticket, admin_user))
        ref = ticket.pk if by == "id" else ticket.key
        response = api.delete(f"tickets/{ref}")
        assert response.status_code == 204
        assert response.content == b""
        assert not Ticket.objects.exists() and not Comment.objects.exists()
        again = api.delete(f"tickets/{ref}")
        assert again.status_code == 404
        assert again.json() == TICKET_NOT_FOUND
