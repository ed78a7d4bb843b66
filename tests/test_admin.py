"""Every model's admin pages render for a superuser, and API keys are made and revoked there."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from desk.users.models import User
from wsse_auth.models import ApiKey

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"users", "branches", "tickets", "comments", "attachments", "wsse_auth"}


@pytest.fixture
def admin_client_logged_in(client):
    User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.login(username="root", password="pw-root-123")
    return client


def test_every_project_model_is_registered():
    registered = {model for model in admin.site._registry}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            assert model in registered, model


@pytest.mark.parametrize(
    "model",
    [m for label in sorted(PROJECT_APPS) for m in apps.get_app_config(label).get_models()],
    ids=lambda m: m._meta.label,
)
def test_changelist_and_add_pages_render(admin_client_logged_in, model):
    opts = model._meta
    changelist = admin_client_logged_in.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    searched = admin_client_logged_in.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?q=x"
    )
    assert searched.status_code == 200


def test_api_key_is_shown_once_on_creation_and_can_be_revoked(admin_client_logged_in):
    agent = User.objects.create_user("agent", "agent@example.com", "pw")
    response = admin_client_logged_in.post(
        reverse("admin:wsse_auth_apikey_add"), {"user": agent.pk, "label": "shop"}, follow=True
    )
    api_key = ApiKey.objects.get(user=agent)
    assert api_key.key in response.content.decode()
    page = admin_client_logged_in.get(reverse("admin:wsse_auth_apikey_change", args=[api_key.pk]))
    assert api_key.key not in page.content.decode()
    admin_client_logged_in.post(
        reverse("admin:wsse_auth_apikey_changelist"),
        {"action": "revoke_keys", "_selected_action": [api_key.pk]},
    )
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_generate_key_action_on_users(admin_client_logged_in):
    agent = User.objects.create_user("agent", "agent@example.com", "pw")
    response = admin_client_logged_in.post(
        reverse("admin:users_user_changelist"),
        {"action": "generate_api_key", "_selected_action": [agent.pk]},
        follow=True,
    )
    assert ApiKey.objects.get(user=agent).key in response.content.decode()
