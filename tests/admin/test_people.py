"""Staff users and customers in the admin."""

import pytest

from desk.users.models import Customer, User
from tests.admin.helpers import admin_url, errors_of, form_data
from tests.factories import make_branch, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db


class TestPeople:
    def test_customer_emails_are_unique_in_any_case(self, admin_client_logged_in):
        make_customer("carla@example.com")
        body = {
            "email": "Carla@Example.com",
            "first_name": "C",
            "last_name": "D",
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
        }
        response = admin_client_logged_in.post(admin_url(Customer, "add"), body)
        assert errors_of(response) == {"email": ["A customer with this email already exists."]}

    def test_staff_emails_are_unique_in_any_case(self, admin_client_logged_in):
        make_staff("first", email="same@example.com")
        second = make_staff("second", superuser=False)
        url = admin_url(User, "change", second.pk)
        body = form_data(admin_client_logged_in.get(url))
        body["email"] = "SAME@example.com"
        response = admin_client_logged_in.post(url, body)
        assert errors_of(response) == {"email": ["A staff user with this email already exists."]}

    def test_a_user_who_reported_tickets_cannot_be_deleted_but_the_page_says_why(
        self, admin_client_logged_in
    ):
        agent = make_staff("agent", superuser=False)
        make_ticket(agent, make_branch())
        response = admin_client_logged_in.post(admin_url(User, "delete", agent.pk), {"post": "yes"})
        assert response.status_code == 200
        assert "protected" in response.content.decode()
        assert User.objects.filter(pk=agent.pk).exists()
