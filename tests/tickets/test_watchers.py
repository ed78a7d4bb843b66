"""Ticket watchers (DiamanteDesk 2.0) on both mounts: list, add by email or id, remove."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk.tickets.models import Watcher
from desk.users.models import Customer
from tests.conftest import client_for
from tests.factories import make_customer, make_staff
from tests.tickets.factories import FORBIDDEN, TICKET_NOT_FOUND, USER_NOT_FOUND, make_ticket

pytestmark = pytest.mark.django_db


def person(principal):
    return {"email": principal.email, "name": principal.display_name, "id": principal.person_id}


class TestStaff:
    def test_add_by_email_and_by_id_then_list_in_order(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        agent = make_staff("agent", superuser=False, first_name="Ann", last_name="Agent")
        customer = make_customer("c@example.com", "Cy", "Cust")
        by_email = api.post(f"tickets/{ticket.pk}/watchers", {"email": "C@example.com"}, format="json")
        assert by_email.status_code == 201, by_email.content
        assert by_email.json() == person(customer)
        assert list(by_email.json()) == ["email", "name", "id"]
        assert by_email["Location"].endswith(f"/tickets/{ticket.pk}/watchers/{customer.person_id}")
        by_id = api.post(f"tickets/{ticket.pk}/watchers.json", {"id": agent.person_id}, format="json")
        assert by_id.status_code == 201 and by_id.json() == person(agent)
        listed = api.get(f"tickets/{ticket.pk}/watchers")
        assert listed.status_code == 200
        assert listed.json() == [person(customer), person(agent)]

    def test_adding_twice_is_not_an_error(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        for _ in range(2):
            response = api.post(f"tickets/{ticket.pk}/watchers", {"id": admin_user.person_id}, format="json")
            assert response.status_code == 201
        assert Watcher.objects.filter(ticket=ticket).count() == 1

    def test_remove(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        customer = make_customer()
        Watcher.objects.create(ticket=ticket, customer=customer)
        Watcher.objects.create(ticket=ticket, user=admin_user)
        response = api.delete(f"tickets/{ticket.pk}/watchers/{customer.person_id}")
        assert response.status_code == 204 and response.content == b""
        assert api.get(f"tickets/{ticket.pk}/watchers").json() == [person(admin_user)]
        again = api.delete(f"tickets/{ticket.pk}/watchers/{customer.person_id}")
        assert (again.status_code, again.json()) == (404, USER_NOT_FOUND)

    def test_a_form_body_and_xml(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.post(
            f"tickets/{ticket.pk}/watchers.xml",
            "email=admin%40example.com",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201
        assert f"<id><![CDATA[{admin_user.person_id}]]></id>".encode() in response.content

    @pytest.mark.parametrize(
        ("body", "status", "error"),
        [
            ({"id": "diamante_999"}, 404, USER_NOT_FOUND["error"]),
            ({"id": "someone"}, 400, 'Should be "oro_<staff id>" or "diamante_<customer id>".'),
            ({"email": "not-an-email"}, 400, "email: Enter a valid email address."),
            ({}, 400, 'Give the watcher as "email" or as "id" (oro_N or diamante_N).'),
        ],
    )
    def test_unknown_or_malformed_people(self, api, admin_user, branch, body, status, error):
        ticket = make_ticket(admin_user, branch)
        response = api.post(f"tickets/{ticket.pk}/watchers", body, format="json")
        assert (response.status_code, response.json()["error"]) == (status, error)
        assert not Watcher.objects.exists()

    def test_an_unknown_email_becomes_a_customer_as_in_the_original(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        response = api.post(f"tickets/{ticket.pk}/watchers", {"email": "Boss@example.com"}, format="json")
        assert response.status_code == 201
        boss = Customer.objects.get(email="Boss@example.com")
        assert response.json() == {"email": "Boss@example.com", "name": "", "id": boss.person_id}
        again = api.post(f"tickets/{ticket.pk}/watchers", {"email": "boss@EXAMPLE.com"}, format="json")
        assert again.json()["id"] == boss.person_id
        assert Customer.objects.count() == 1 and not boss.api_keys.exists()

    def test_unknown_ticket(self, api):
        assert api.get("tickets/999/watchers").json() == TICKET_NOT_FOUND
        response = api.post("tickets/999/watchers", {"email": "admin@example.com"}, format="json")
        assert (response.status_code, response.json()) == (404, TICKET_NOT_FOUND)

    def test_a_deleted_ticket_takes_its_watchers(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        Watcher.objects.create(ticket=ticket, user=admin_user)
        api.delete(f"tickets/{ticket.pk}")
        assert not Watcher.objects.exists()

    def test_the_list_costs_the_same_for_one_watcher_and_for_twenty(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        Watcher.objects.create(ticket=ticket, user=admin_user)
        path = f"tickets/{ticket.pk}/watchers"
        api.get(path)  # the key's first use writes its last-used time once

        def cost():
            with CaptureQueriesContext(connection) as captured:
                assert api.get(path).status_code == 200
            return len(captured)

        one = cost()
        for i in range(19):
            Watcher.objects.create(ticket=ticket, customer=make_customer(f"w{i}@example.com"))
        assert cost() == one
        assert len(api.get(path).json()) == 20

    @pytest.mark.parametrize(
        ("method", "codename"),
        [("get", "view_watcher"), ("post", "add_watcher"), ("delete", "delete_watcher")],
    )
    def test_staff_need_the_watcher_permission(self, admin_user, branch, method, codename):
        ticket = make_ticket(admin_user, branch)
        Watcher.objects.create(ticket=ticket, user=admin_user)
        agent = make_staff("agent", superuser=False)
        client = client_for(agent)
        path = f"tickets/{ticket.pk}/watchers" + (f"/{admin_user.person_id}" if method == "delete" else "")
        body = {"id": admin_user.person_id}
        assert getattr(client, method)(path, body, format="json").json() == FORBIDDEN
        agent.user_permissions.add(Permission.objects.get(codename=codename))
        assert getattr(client, method)(path, body, format="json").status_code in (200, 201, 204)


class TestCustomers:
    def test_a_customer_manages_watchers_of_its_own_ticket(self, customer_api, customer, branch):
        ticket = make_ticket(customer, branch)
        friend = make_customer("friend@example.com", "Fr", "Iend")
        added = customer_api.post(
            f"tickets/{ticket.pk}/watchers", {"email": "friend@example.com"}, format="json"
        )
        assert added.status_code == 201 and added.json() == person(friend)
        assert customer_api.get(f"tickets/{ticket.pk}/watchers").json() == [person(friend)]
        assert customer_api.delete(f"tickets/{ticket.pk}/watchers/{friend.person_id}").status_code == 204

    def test_another_customers_ticket_is_not_found(self, customer_api, branch):
        other = make_ticket(make_customer("other@example.com"), branch)
        Watcher.objects.create(ticket=other, customer=other.reporter_customer)
        for response in (
            customer_api.get(f"tickets/{other.pk}/watchers"),
            customer_api.post(f"tickets/{other.pk}/watchers", {"email": "other@example.com"}, format="json"),
            customer_api.delete(f"tickets/{other.pk}/watchers/{other.reporter_customer.person_id}"),
        ):
            assert (response.status_code, response.json()) == (404, TICKET_NOT_FOUND)
        assert Watcher.objects.count() == 1

    def test_a_soft_deleted_customer_stops_watching(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        customer = make_customer()
        Watcher.objects.create(ticket=ticket, customer=customer)
        api.delete(f"users/{customer.pk}")
        assert api.get(f"tickets/{ticket.pk}/watchers").json() == []
