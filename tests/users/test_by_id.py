"""`users/{id}` on the staff mount: a customer read, changed and softly deleted by id."""

import pytest
from django.contrib.auth.models import Permission

from desk.users.models import Customer
from tests.conftest import client_for
from tests.factories import make_comment, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": "User loading failed. User not found"}


def staff_with(username, *codenames):
    """A client for a staff user holding only the named customer permissions."""
    user = make_staff(username, superuser=False)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return client_for(user)


class TestRead:
    def test_by_id_and_with_each_suffix(self, api):
        customer = make_customer("john@example.com", "John", "Dou")
        expected = {"email": "john@example.com", "first_name": "John", "id": customer.pk, "last_name": "Dou"}
        for path in (f"users/{customer.pk}", f"users/{customer.pk}.json", f"users/{customer.pk}/"):
            response = api.get(path)
            assert response.status_code == 200, path
            assert response.json() == expected
        xml = api.get(f"users/{customer.pk}.xml")
        assert xml["Content-Type"] == "application/xml; charset=utf-8"
        assert b"<email><![CDATA[john@example.com]]></email>" in xml.content

    def test_unknown_id_is_404(self, api):
        assert api.get("users/999").json() == NOT_FOUND
        assert api.get("users/999").status_code == 404

    def test_the_email_route_still_works(self, api):
        customer = make_customer("5@example.com")
        assert api.get("users/5@example.com/").json()["id"] == customer.pk
        assert api.get("users/5@example.com/.json").json()["id"] == customer.pk

    def test_customers_may_not_look_up_users(self, customer_api, customer):
        response = customer_api.get(f"users/{customer.pk}")
        assert response.status_code == 403


class TestUpdate:
    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_partial_update_by_id(self, api, method):
        customer = make_customer("john@example.com", "John", "Dou")
        response = getattr(api, method)(f"users/{customer.pk}.json", {"lastName": "Doe"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json() == {
            "email": "john@example.com",
            "first_name": "John",
            "id": customer.pk,
            "last_name": "Doe",
        }
        customer.refresh_from_db()
        assert customer.last_name == "Doe"

    def test_email_taken_by_another_in_any_case_is_400(self, api):
        make_customer("taken@example.com")
        customer = make_customer("john@example.com")
        response = api.patch(f"users/{customer.pk}", {"email": "TAKEN@example.com"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"email": ["User with this email already exists."]}
        customer.refresh_from_db()
        assert customer.email == "john@example.com"

    def test_unknown_key_is_400(self, api):
        customer = make_customer()
        response = api.patch(f"users/{customer.pk}", {"role": "admin"}, format="json")
        assert response.json() == {"error": 'User does not have "role" property.'}

    def test_php_form_body(self, api):
        customer = make_customer()
        response = api.put(
            f"users/{customer.pk}", "firstName=J%C3%B6rg", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert response.json()["first_name"] == "Jörg"


class TestSoftDelete:
    def test_delete_is_204_and_the_customer_leaves_lists_and_lookups(self, api):
        customer = make_customer("gone@example.com")
        kept = make_customer("kept@example.com")
        response = api.delete(f"users/{customer.pk}")
        assert response.status_code == 204 and response.content == b""
        assert [row["id"] for row in api.get("users").json()] == [kept.pk]
        assert api.get("users").headers["X-Total"] == "1"
        assert api.get(f"users/{customer.pk}").status_code == 404
        assert api.get("users/gone@example.com/").status_code == 404
        assert api.delete(f"users/{customer.pk}").status_code == 404
        assert Customer.objects.filter(pk=customer.pk, deleted_at__isnull=False).exists()

    def test_a_deleted_customer_can_no_longer_authenticate(self, api):
        customer = make_customer("gone@example.com")
        own = client_for(customer)
        assert own.get("users/current").status_code == 200
        api.delete(f"users/{customer.pk}")
        response = own.get("users/current")
        assert response.status_code == 401
        assert customer.api_keys.filter(revoked_at__isnull=True).count() == 0

    def test_tickets_and_comments_stay_with_their_reporter_and_author(self, api):
        customer = make_customer("gone@example.com")
        ticket = make_ticket(customer)
        comment = make_comment(ticket, customer)
        api.delete(f"users/{customer.pk}")
        assert api.get(f"tickets/{ticket.pk}").json()["reporter"] == f"diamante_{customer.pk}"
        assert api.get(f"comments/{comment.pk}").json()["author"] == customer.pk
        assert api.get(f"ticket/{ticket.pk}/reporter").json()["email"] == "gone@example.com"

    def test_a_deleted_customer_cannot_be_named_as_reporter(self, api):
        customer = make_customer("gone@example.com")
        api.delete(f"users/{customer.pk}")
        response = api.post(
            "tickets",
            {
                "branch": make_ticket(make_customer()).branch_id,
                "subject": "s",
                "description": "d",
                "status": "new",
                "priority": "low",
                "source": "web",
                "reporter": f"diamante_{customer.pk}",
            },
            format="json",
        )
        assert response.status_code == 404

    def test_its_email_may_be_taken_again(self, api):
        customer = make_customer("again@example.com")
        api.delete(f"users/{customer.pk}")
        response = api.post(
            "users", {"email": "again@example.com", "firstName": "A", "lastName": "B"}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["id"] != customer.pk


class TestPermissions:
    @pytest.mark.parametrize(
        ("method", "codename"),
        [("get", "view_customer"), ("patch", "change_customer"), ("delete", "delete_customer")],
    )
    def test_each_method_needs_its_model_permission(self, method, codename):
        customer = make_customer()
        without = staff_with("without")
        response = getattr(without, method)(f"users/{customer.pk}", {}, format="json")
        assert response.status_code == 403
        with_it = staff_with("with", codename)
        response = getattr(with_it, method)(f"users/{customer.pk}", {}, format="json")
        assert response.status_code in (200, 204)
