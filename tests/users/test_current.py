"""The calling customer on the customer mount: `users/current`, and nothing else of the users API."""

import pytest

from desk.users.models import Customer
from tests.comments.factories import age
from tests.conftest import STAFF_PREFIX, client_for
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

DENIED = {"error": "Not enough permissions."}
DUPLICATE = "email: User with this email already exists."


class TestCurrentCustomer:
    @pytest.mark.parametrize(
        "path",
        [
            "users/current",
            "users/current/",
            "users/current.json",
            "users/current/.json",
            "/api/diamante/rest/v1/desk/users/current",
        ],
    )
    def test_get_current(self, customer_api, customer, path):
        response = customer_api.get(path)
        assert response.status_code == 200, response.content
        assert response.json() == {
            "email": "customer@example.com",
            "first_name": "Carla",
            "id": customer.pk,
            "last_name": "Customer",
        }

    def test_get_current_in_xml(self, customer_api, customer):
        response = customer_api.get("users/current.xml")
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><email><![CDATA[customer@example.com]]></email>'
            f"<first_name><![CDATA[Carla]]></first_name><id>{customer.pk}</id>"
            "<last_name><![CDATA[Customer]]></last_name></result>"
        )

    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_update_names_is_partial(self, customer_api, customer, method):
        age(customer)
        response = getattr(customer_api, method)("users/current", {"firstName": "Carol"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["first_name"] == "Carol"
        assert response.json()["last_name"] == "Customer"
        stored = Customer.objects.get(pk=customer.pk)
        assert (stored.first_name, stored.last_name) == ("Carol", "Customer")
        assert stored.updated_at > customer.updated_at

    def test_update_with_a_php_form(self, customer_api, customer):
        response = customer_api.put(
            "users/current",
            "first_name=Cora&last_name=Client",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200, response.content
        assert Customer.objects.get(pk=customer.pk).display_name == "Cora Client"

    def test_representation_sent_back_is_accepted(self, customer_api, customer):
        data = customer_api.get("users/current").json()
        data.update(id=999, last_name="Changed")
        response = customer_api.put("users/current", data, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["id"] == customer.pk
        assert Customer.objects.get(pk=customer.pk).last_name == "Changed"

    def test_email_change_and_the_new_login(self, customer_api, customer):
        response = customer_api.patch("users/current", {"email": "carla.new@example.com"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["email"] == "carla.new@example.com"
        assert customer_api.get("users/current").status_code == 401
        customer_api.username = "carla.new@example.com"
        assert customer_api.get("users/current").json()["email"] == "carla.new@example.com"

    def test_own_email_in_another_case_is_allowed(self, customer_api, customer):
        response = customer_api.patch("users/current", {"email": "Customer@Example.com"}, format="json")
        assert response.status_code == 200, response.content

    def test_email_taken_by_another_customer_is_400(self, customer_api, customer):
        make_customer("taken@example.com")
        response = customer_api.patch("users/current", {"email": "TAKEN@example.com"}, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == DUPLICATE
        assert Customer.objects.get(pk=customer.pk).email == "customer@example.com"

    @pytest.mark.parametrize("body", [{"email": "nope"}, {"first_name": ""}, {"last_name": "x" * 256}])
    def test_invalid_values_are_400(self, customer_api, customer, body):
        response = customer_api.patch("users/current", body, format="json")
        assert response.status_code == 400
        assert response.json()["error"].startswith(f"{next(iter(body))}: ")
        assert Customer.objects.get(pk=customer.pk).first_name == "Carla"

    @pytest.mark.parametrize(
        ("key", "name"), [("x", "x"), ("isActive", "is_active"), ("password", "password")]
    )
    def test_unknown_key_is_400(self, customer_api, customer, key, name):
        response = customer_api.patch("users/current", {key: "1", "first_name": "No"}, format="json")
        assert response.status_code == 400
        assert response.json() == {"error": f'User does not have "{name}" property.'}
        stored = Customer.objects.get(pk=customer.pk)
        assert (stored.first_name, stored.is_active) == ("Carla", True)

    def test_delete_and_post_are_405(self, customer_api):
        assert customer_api.delete("users/current").status_code == 405
        assert customer_api.post("users/current", {}, format="json").status_code == 405

    def test_customers_cannot_manage_users(self, customer_api, customer):
        make_customer("other@example.com")
        for response in (
            customer_api.get("users"),
            customer_api.post(
                "users", {"email": "n@example.com", "firstName": "N", "lastName": "N"}, format="json"
            ),
            customer_api.get("users/other@example.com/"),
            customer_api.get("users/customer@example.com/"),
            customer_api.get("users/nobody@example.com/"),
        ):
            assert (response.status_code, response.json()) == (403, DENIED)
        assert Customer.objects.count() == 2

    def test_customer_key_does_not_work_on_the_staff_mount(self, customer):
        client = client_for(customer)
        client.prefix = STAFF_PREFIX
        assert client.get("users").status_code == 401
        assert client.get("users/customer@example.com/").status_code == 401
