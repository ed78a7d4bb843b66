"""Who may do what with tickets: staff by model permissions, customers only on the tickets they reported."""

import pytest
from django.contrib.auth.models import Permission

from desk.tickets.models import Ticket
from tests.conftest import CUSTOMER_PREFIX, SignedClient, client_for
from tests.factories import make_customer, make_staff
from tests.tickets.factories import FORBIDDEN, TICKET_NOT_FOUND, make_branch, make_comment, make_ticket
from tests.tickets.factories import ticket_body as create_body

pytestmark = pytest.mark.django_db


def staff_with(*codenames, username="limited"):
    """A staff user holding only the given ticket permissions."""
    user = make_staff(username, superuser=False)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


class TestStaff:
    def test_view_permission_reads_but_does_not_write(self, admin_user):
        viewer = staff_with("view_ticket")
        client = client_for(viewer)
        ticket = make_ticket(admin_user)
        for path in (
            "tickets",
            "tickets/search?q=fire",
            f"tickets/{ticket.pk}",
            f"tickets/{ticket.key}",
            f"ticket/{ticket.pk}/reporter",
            f"ticket/{ticket.pk}/assignee",
        ):
            assert client.get(path).status_code == 200, path
        for response in (
            client.post("tickets", create_body(ticket.branch, viewer), format="json"),
            client.put(f"tickets/{ticket.pk}", {"subject": "No"}, format="json"),
            client.patch(f"tickets/{ticket.key}", {"subject": "No"}, format="json"),
            client.delete(f"tickets/{ticket.pk}"),
        ):
            assert response.status_code == 403
            assert response.json() == FORBIDDEN
        assert Ticket.objects.get().subject == "Printer on fire"

    def test_each_write_needs_its_own_permission(self, admin_user):
        ticket = make_ticket(admin_user)
        adder = client_for(staff_with("add_ticket", username="adder"))
        assert adder.post("tickets", create_body(ticket.branch, admin_user), format="json").status_code == 201
        assert adder.get("tickets").status_code == 403
        changer = client_for(staff_with("change_ticket", username="changer"))
        assert changer.patch(f"tickets/{ticket.pk}", {"subject": "Yes"}, format="json").status_code == 200
        assert changer.delete(f"tickets/{ticket.pk}").status_code == 403
        assert changer.get(f"ticket/{ticket.pk}/reporter").status_code == 403
        deleter = client_for(staff_with("delete_ticket", username="deleter"))
        assert deleter.delete(f"tickets/{ticket.key}").status_code == 204

    def test_no_permission_no_access(self, admin_user):
        client = client_for(make_staff("nobody", superuser=False))
        ticket = make_ticket(admin_user)
        for path in ("tickets", "tickets/search?q=x", f"tickets/{ticket.pk}", f"ticket/{ticket.pk}/reporter"):
            response = client.get(path)
            assert response.status_code == 403, path
            assert response.json() == FORBIDDEN

    def test_unsigned_request_is_401(self, admin_user):
        response = SignedClient().get("tickets")
        assert response.status_code == 401


class TestCustomer:
    @pytest.fixture
    def tickets(self, admin_user):
        """One ticket of the calling customer, one of another customer, one of staff."""
        me = make_customer("me@example.com")
        other = make_customer("other@example.com")
        branch = make_branch()
        mine = make_ticket(me, branch, "Mine: printer")
        theirs = make_ticket(other, branch, "Theirs: printer")
        staffs = make_ticket(admin_user, branch, "Staff: printer")
        return {"me": me, "other": other, "mine": mine, "theirs": theirs, "staff": staffs}

    def test_lists_and_search_hold_only_their_tickets(self, tickets):
        client = client_for(tickets["me"])
        response = client.get("tickets")
        assert [ticket["id"] for ticket in response.json()] == [tickets["mine"].pk]
        assert response["X-Total"] == "1"
        found = client.get("tickets/search?q=printer")
        assert [ticket["id"] for ticket in found.json()] == [tickets["mine"].pk]
        assert found["X-Total"] == "1"
        assert client.get(f"tickets?reporter=diamante_{tickets['other'].pk}").json() == []

    @pytest.mark.parametrize("whose", ["theirs", "staff"])
    def test_other_tickets_are_404_everywhere(self, tickets, whose):
        client = client_for(tickets["me"])
        ticket = tickets[whose]
        for response in (
            client.get(f"tickets/{ticket.pk}"),
            client.get(f"tickets/{ticket.key}"),
            client.put(f"tickets/{ticket.pk}", {"subject": "Mine now"}, format="json"),
            client.patch(f"tickets/{ticket.key}", {"subject": "Mine now"}, format="json"),
            client.get(f"ticket/{ticket.pk}/reporter"),
            client.get(f"ticket/{ticket.pk}/assignee"),
        ):
            assert response.status_code == 404
            assert response.json() == TICKET_NOT_FOUND
        assert Ticket.objects.get(pk=ticket.pk).subject != "Mine now"

    def test_never_delete(self, tickets):
        client = client_for(tickets["me"])
        for ref in (tickets["mine"].pk, tickets["mine"].key, tickets["theirs"].pk, 999999):
            response = client.delete(f"tickets/{ref}")
            assert response.status_code == 403
            assert response.json() == FORBIDDEN
        assert Ticket.objects.count() == 3

    def test_update_own_ticket_but_not_its_assignee_or_branch(self, tickets, admin_user):
        client = client_for(tickets["me"])
        mine = tickets["mine"]
        changes = {
            "subject": "S",
            "description": "D",
            "status": "Closed",
            "priority": "high",
            "source": "phone",
        }
        response = client.patch(f"tickets/{mine.pk}", changes, format="json")
        assert response.status_code == 200, response.content
        data = response.json()
        assert [data[name] for name in changes] == ["S", "D", "closed", "high", "phone"]
        other_branch = make_branch("Other", key="OTHER")
        for fields in (
            {"assignee": admin_user.pk},
            {"branch": other_branch.pk},
            {"subject": "X", "assignee": None},
        ):
            refused = client.put(f"tickets/{mine.key}", fields, format="json")
            assert refused.status_code == 403
            assert refused.json() == FORBIDDEN
        ticket = Ticket.objects.get(pk=mine.pk)
        assert (ticket.subject, ticket.branch_id, ticket.assignee_id) == ("S", mine.branch_id, None)

    def test_old_key_redirects_only_for_their_own_tickets(self, tickets, api):
        target = make_branch("Target", key="TARGET")
        api.patch(f"tickets/{tickets['mine'].pk}", {"branch": target.pk}, format="json")
        api.patch(f"tickets/{tickets['theirs'].pk}", {"branch": target.pk}, format="json")
        client = client_for(tickets["me"])
        own = client.get("tickets/SUPP-1.json")
        assert own.status_code == 301
        assert own["X-Location"] == f"http://testserver{CUSTOMER_PREFIX}/tickets/TARGET-1.json"
        foreign = client.get("tickets/SUPP-2")
        assert foreign.status_code == 404
        assert foreign.json() == TICKET_NOT_FOUND

    def test_private_comments_stay_hidden_after_a_write(self, tickets, admin_user):
        make_comment(tickets["mine"], admin_user, "Internal", private=True)
        client = client_for(tickets["me"])
        response = client.patch(f"tickets/{tickets['mine'].pk}", {"subject": "New"}, format="json")
        assert response.json()["comments"] == []
        staff_view = client_for(admin_user).get(f"tickets/{tickets['mine'].pk}")
        assert len(staff_view.json()["comments"]) == 1

    def test_customer_create_cannot_name_another_reporter(self, tickets):
        client = client_for(tickets["me"])
        body = create_body(tickets["mine"].branch, tickets["other"])
        response = client.post("tickets", body, format="json")
        assert response.status_code == 201
        assert response.json()["reporter"] == f"diamante_{tickets['me'].pk}"

    def test_customer_create_still_needs_the_ticket_fields(self, tickets):
        response = client_for(tickets["me"]).post(
            "tickets", {"branch": tickets["mine"].branch_id}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["error"] == "description: This field is required."
