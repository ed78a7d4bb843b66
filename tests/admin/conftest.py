"""A logged-in superuser for the admin tests."""

import pytest

from desk.users.models import User


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def admin_client_logged_in(client, root):
    client.force_login(root)
    return client
