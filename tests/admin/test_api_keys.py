"""API keys in the admin: generated and shown once, revoked, never shown again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk.users.models import Customer, User
from tests.admin.helpers import KEY, admin_url, errors_of, form_data
from tests.factories import make_customer, make_staff
from wsse_auth.models import ApiKey

pytestmark = pytest.mark.django_db


class TestApiKeys:
    def test_a_key_added_on_a_users_page_is_shown_once(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        url = admin_url(User, "change", agent.pk)
        body = form_data(admin_client_logged_in.get(url))
        assert body["api_keys-TOTAL_FORMS"] == 1
        body.update({"api_keys-TOTAL_FORMS": 2, "api_keys-1-label": "shop", "_continue": "1"})
        response = admin_client_logged_in.post(url, body, follow=True)
        new_key = ApiKey.objects.get(user=agent, label="shop")
        shown = KEY.findall(response.content.decode())
        assert shown == [new_key.key]
        assert f"New API key for agent: {new_key.key} (shown once, copy it now)" in response.content.decode()
        assert not KEY.findall(admin_client_logged_in.get(url).content.decode())

    def test_a_row_added_without_a_label_still_makes_a_key(self, admin_client_logged_in):
        customer = make_customer()
        url = admin_url(Customer, "change", customer.pk)
        body = form_data(admin_client_logged_in.get(url))
        body["api_keys-TOTAL_FORMS"] = 2
        response = admin_client_logged_in.post(url, body, follow=True)
        assert customer.api_keys.count() == 2
        assert customer.api_keys.first().key in response.content.decode()

    def test_a_customer_can_be_added_with_a_key(self, admin_client_logged_in):
        body = {
            "email": "new@example.com",
            "first_name": "New",
            "last_name": "Customer",
            "is_active": "on",
            "api_keys-TOTAL_FORMS": "1",
            "api_keys-INITIAL_FORMS": "0",
            "api_keys-0-label": "portal",
        }
        response = admin_client_logged_in.post(admin_url(Customer, "add"), body, follow=True)
        api_key = ApiKey.objects.get(customer__email="new@example.com")
        assert api_key.label == "portal"
        assert api_key.key in response.content.decode()

    def test_ticking_revoke_on_an_owners_page_revokes_the_key(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        kept = ApiKey.objects.create(user=agent, label="kept")
        url = admin_url(User, "change", agent.pk)
        body = form_data(admin_client_logged_in.get(url))
        revoked_row = next(k for k, v in body.items() if k.endswith("-id") and v != kept.pk)
        body[revoked_row.replace("-id", "-revoke")] = "on"
        assert admin_client_logged_in.post(url, body).status_code == 302
        keys = {k.label: k.revoked_at for k in agent.api_keys.all()}
        assert keys["kept"] is None
        assert keys[""] is not None

    def test_a_revoked_key_stays_revoked(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        api_key = agent.api_keys.get()
        api_key.revoked_at = timezone.now() - timedelta(days=1)
        api_key.save()
        url = admin_url(ApiKey, "change", api_key.pk)
        response = admin_client_logged_in.post(url, {"label": "again", "revoked_at": "", "revoke": ""})
        assert response.status_code == 302
        api_key.refresh_from_db()
        assert (api_key.label, api_key.revoked_at is not None) == ("again", True)

    def test_revoke_on_the_keys_page(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        api_key = agent.api_keys.get()
        admin_client_logged_in.post(admin_url(ApiKey, "change", api_key.pk), {"label": "x", "revoke": "on"})
        api_key.refresh_from_db()
        assert api_key.revoked_at is not None

    def test_a_key_added_in_the_key_list_is_shown_once_and_can_be_revoked(self, admin_client_logged_in):
        agent = User.objects.create_user("agent", "agent@example.com", "pw")
        response = admin_client_logged_in.post(
            admin_url(ApiKey, "add"), {"user": agent.pk, "label": "shop"}, follow=True
        )
        api_key = ApiKey.objects.get(user=agent)
        assert api_key.key in response.content.decode()
        page = admin_client_logged_in.get(admin_url(ApiKey, "change", api_key.pk))
        assert api_key.key not in page.content.decode()
        response = admin_client_logged_in.post(
            admin_url(ApiKey, "changelist"),
            {"action": "revoke_keys", "_selected_action": [api_key.pk]},
            follow=True,
        )
        api_key.refresh_from_db()
        assert api_key.revoked_at is not None
        assert "Revoked 1 key(s)." in response.content.decode()

    @pytest.mark.parametrize(
        ("owners", "errors"),
        [
            ("none", {"user": ["Choose the staff user or the customer the key is for."]}),
            ("both", {"customer": ["Choose a staff user or a customer, not both."]}),
        ],
    )
    def test_a_key_has_one_owner(self, admin_client_logged_in, root, owners, errors):
        body = {"label": "x"}
        if owners == "both":
            body.update(user=root.pk, customer=make_customer().pk)
        response = admin_client_logged_in.post(admin_url(ApiKey, "add"), body)
        assert errors_of(response) == errors
        assert not ApiKey.objects.filter(label="x").exists()

    @pytest.mark.parametrize("model", [User, Customer])
    def test_generate_key_action(self, admin_client_logged_in, model):
        owner = make_staff("agent", superuser=False) if model is User else make_customer()
        response = admin_client_logged_in.post(
            admin_url(model, "changelist"),
            {"action": "generate_api_key", "_selected_action": [owner.pk]},
            follow=True,
        )
        newest = owner.api_keys.get(label="admin")
        assert KEY.findall(response.content.decode()) == [newest.key]

    def test_the_key_list_counts_active_keys(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        ApiKey.objects.create(user=agent, revoked_at=timezone.now())
        ApiKey.objects.create(user=agent)
        response = admin_client_logged_in.get(admin_url(User, "changelist"), {"q": "agent"})
        assert response.context["cl"].result_list[0].active_key_count == 2
