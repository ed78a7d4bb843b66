"""Ticket routes on both mounts and versions, and the reporter and assignee of a ticket."""

import pytest

from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, client_for
from tests.factories import make_customer, make_staff
from tests.tickets.factories import TICKET_NOT_FOUND, make_ticket
from tests.tickets.factories import ticket_body as body

pytestmark = pytest.mark.django_db


class TestPeople:
    @pytest.mark.parametrize("prefix", [STAFF_PREFIX, CUSTOMER_PREFIX])
    def test_reporter_and_assignee(self, admin_user, branch, prefix):
        customer = make_customer(first_name="Carla", last_name="Customer")
        agent = make_staff("agent", superuser=False, first_name="Ann", last_name="Agent")
        ticket = make_ticket(customer, branch, assignee=agent)
        client = client_for(admin_user) if prefix == STAFF_PREFIX else client_for(customer)
        reporter = client.get(f"ticket/{ticket.pk}/reporter")
        assert reporter.status_code == 200
        assert list(reporter.json().items()) == [
            ("email", "customer@example.com"),
            ("name", "Carla Customer"),
            ("id", f"diamante_{customer.pk}"),
        ]
        assignee = client.get(f"ticket/{ticket.pk}/assignee.json")
        assert list(assignee.json().items()) == [
            ("email", "agent@example.com"),
            ("name", "Ann Agent"),
            ("id", f"oro_{agent.pk}"),
        ]
        xml = client.get(f"ticket/{ticket.pk}/assignee.xml").content.decode()
        assert xml.endswith(
            "<result><email><![CDATA[agent@example.com]]></email><name><![CDATA[Ann Agent]]></name>"
            f"<id><![CDATA[oro_{agent.pk}]]></id></result>"
        )

    def test_staff_reporter(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        assert api.get(f"ticket/{ticket.pk}/reporter/").json()["id"] == f"oro_{admin_user.pk}"

    def test_unassigned_is_an_empty_list(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.get(f"ticket/{ticket.pk}/assignee")
        assert response.status_code == 200
        assert response.json() == []

    @pytest.mark.parametrize("route", ["reporter", "assignee"])
    def test_missing_ticket_is_404(self, api, route):
        response = api.get(f"ticket/999999/{route}")
        assert response.status_code == 404
        assert response.json() == TICKET_NOT_FOUND


@pytest.mark.parametrize("who", ["staff", "customer"])
@pytest.mark.parametrize("reference", ["999999", "999999999999999999", "NOPE-1", "0"])
def test_a_ticket_nobody_may_read_is_404(admin_user, branch, who, reference):
    # The longest id a route takes (18 digits) included.
    customer = make_customer()
    make_ticket(customer, branch)
    response = (client_for(admin_user) if who == "staff" else client_for(customer)).get(
        f"tickets/{reference}"
    )
    assert (response.status_code, response.json()) == (404, TICKET_NOT_FOUND)


def test_a_customer_reads_its_own_ticket_only(admin_user, branch):
    mine, theirs = make_customer(), make_customer("other@example.com")
    own, other = make_ticket(mine, branch), make_ticket(theirs, branch)
    client = client_for(mine)
    assert client.get(f"tickets/{own.pk}").json()["id"] == own.pk
    assert client.get(f"tickets/{own.key}").json()["id"] == own.pk
    for reference in (other.pk, other.key):
        assert client.get(f"tickets/{reference}").status_code == 404


class TestRoutes:
    @pytest.mark.parametrize(
        "path",
        ["tickets", "tickets/", "tickets.json", "tickets.xml", "tickets/.json", "tickets/search.xml?q=a"],
    )
    def test_suffixes_and_slashes(self, api, path):
        response = api.get(path)
        assert response.status_code == 200

    @pytest.mark.parametrize("version", ["latest", "v1"])
    @pytest.mark.parametrize("mount", ["/api/rest/{}/desk", "/api/diamante/rest/{}/desk"])
    def test_every_route_on_both_mounts_and_versions(self, admin_user, branch, version, mount):
        customer = make_customer()
        client = client_for(customer) if "diamante" in mount else client_for(admin_user)
        prefix = mount.format(version)
        ticket = make_ticket(customer, branch, assignee=admin_user)
        created = client.post(f"{prefix}/tickets", body(branch, customer), format="json")
        assert created.status_code == 201, created.content
        assert created["Location"].startswith(f"http://testserver{prefix}/tickets/")
        for path in (
            "tickets",
            "tickets/search?q=smokes",
            f"tickets/{ticket.pk}",
            f"tickets/{ticket.key}",
            f"ticket/{ticket.pk}/reporter",
            f"ticket/{ticket.pk}/assignee",
        ):
            assert client.get(f"{prefix}/{path}").status_code == 200, path
        for ref in (ticket.pk, ticket.key):
            assert client.put(f"{prefix}/tickets/{ref}", {"subject": "P"}, format="json").status_code == 200
            assert client.patch(f"{prefix}/tickets/{ref}", {"subject": "Q"}, format="json").status_code == 200
        deleted = client.delete(f"{prefix}/tickets/{created.json()['id']}")
        assert deleted.status_code == (403 if "diamante" in mount else 204)

    def test_unknown_version_is_404(self, api):
        assert api.get("/api/rest/v2/desk/tickets").status_code == 404

    def test_wrong_method_is_405(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        assert api.post(f"tickets/{ticket.pk}", {}, format="json").status_code == 405
        assert api.post("tickets/search?q=x", {}, format="json").status_code == 405
        assert api.delete(f"ticket/{ticket.pk}/reporter").status_code == 405

    @pytest.mark.parametrize(
        "path", ["tickets/AB-", "tickets/-1", "tickets/A1-1", "tickets/1-1", "tickets/AB-1x"]
    )
    def test_malformed_references_match_no_route(self, api, path):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "Not found."}
