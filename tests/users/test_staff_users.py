"""OroPlatform's user API beside the staff mount: `user/filter` and `users`, as the shop extensions call them."""

import pytest
from django.contrib.auth.models import Permission

from desk.users.models import User
from tests.conftest import SignedClient, client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

ORO = "/api/rest/latest"
KEYS = ["id", "username", "email", "firstName", "lastName", "enabled", "createdAt", "updatedAt"]


@pytest.fixture
def oro(admin_user):
    """A staff client on OroPlatform's prefix, `/api/rest/latest/` without `desk/`."""
    return SignedClient(admin_user.username, admin_user.api_keys.first().key, prefix=ORO)


class TestFilter:
    def test_by_username_gives_the_user_in_oros_key_order(self, oro):
        shop = make_staff(
            "shop", superuser=False, first_name="Shop", last_name="Bot", email="shop@example.com"
        )
        response = oro.get("user/filter?username=shop")
        assert response.status_code == 200
        data = response.json()
        assert list(data) == KEYS
        assert data["id"] == shop.pk and data["username"] == "shop" and data["email"] == "shop@example.com"
        assert (data["firstName"], data["lastName"], data["enabled"]) == ("Shop", "Bot", True)
        assert data["createdAt"].endswith("+0000") and data["updatedAt"].endswith("+0000")

    def test_by_email_in_any_case_and_with_the_json_suffix(self, oro):
        shop = make_staff("shop", email="shop@example.com")
        assert oro.get("user/filter.json?email=SHOP@example.com").json()["id"] == shop.pk
        assert oro.get("user/filter/?username=SHOP").json()["id"] == shop.pk

    def test_no_match_or_no_parameter_is_404_with_an_empty_body(self, oro):
        for query in ("?username=nobody", "?email=nobody@example.com", "", "?username=", "?name=admin"):
            response = oro.get(f"user/filter{query}")
            assert response.status_code == 404, query
            assert response.content == b"", query

    def test_never_a_secret_in_the_body(self, oro, admin_user):
        body = oro.get("user/filter?username=admin").content.decode()
        assert admin_user.api_keys.first().key not in body
        assert admin_user.password not in body and "password" not in body and "salt" not in body

    def test_json_only(self, oro):
        response = oro.get("user/filter?username=admin", HTTP_ACCEPT="application/xml")
        assert response["Content-Type"] == "application/json"
        assert oro.get("user/filter.xml?username=admin").status_code == 404

    def test_a_disabled_user_is_found_as_not_enabled(self, oro):
        make_staff("left", is_active=False)
        assert oro.get("user/filter?username=left").json()["enabled"] is False

    def test_placeholders_are_never_found(self, oro):
        User.objects.create(username="ghost", email="ghost@example.com", is_active=False, is_placeholder=True)
        assert oro.get("user/filter?username=ghost").status_code == 404
        assert "ghost" not in oro.get("users?limit=999999").content.decode()


class TestList:
    def test_every_staff_user_with_limit_999999(self, oro, admin_user):
        for i in range(3):
            make_staff(f"agent{i}", superuser=False)
        response = oro.get("users.json?page=1&limit=999999")
        assert response.status_code == 200
        assert [user["username"] for user in response.json()] == ["admin", "agent0", "agent1", "agent2"]
        assert response["X-Total"] == "4"
        assert all(list(user) == KEYS for user in response.json())

    def test_pages(self, oro):
        for i in range(3):
            make_staff(f"agent{i}", superuser=False)
        response = oro.get("users?page=2&limit=2")
        assert [user["username"] for user in response.json()] == ["agent1", "agent2"]
        assert 'rel="first"' in response["Link"]

    def test_bad_limit_is_400(self, oro):
        assert oro.get("users?limit=0").status_code == 400


class TestAccess:
    def test_needs_a_staff_signature(self, oro):
        unsigned = SignedClient(prefix=ORO)
        assert unsigned.get("user/filter?username=admin").status_code == 401
        customer = make_customer()
        as_customer = SignedClient(customer.email, customer.api_keys.first().key, prefix=ORO)
        assert as_customer.get("user/filter?username=admin").status_code == 401

    def test_needs_the_permission_to_view_users(self):
        agent = make_staff("agent", superuser=False)
        client = SignedClient(agent.username, agent.api_keys.first().key, prefix=ORO)
        assert client.get("users").status_code == 403
        assert client.get("user/filter?username=agent").status_code == 403
        agent.user_permissions.add(Permission.objects.get(codename="view_user"))
        assert client.get("user/filter?username=agent").status_code == 200

    def test_the_desk_users_route_is_still_the_customers(self, admin_user):
        customer = make_customer("c@example.com")
        assert [row["id"] for row in client_for(admin_user).get("users").json()] == [customer.pk]
