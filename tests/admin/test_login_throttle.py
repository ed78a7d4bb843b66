"""Admin logins: a few failures per address and per username, then no password is checked for a while."""

import pytest

from desk.core.admin_login import TOO_MANY_ATTEMPTS
from desk.core.models import Bucket

LOGIN = "/admin/login/"
PAUSED = TOO_MANY_ATTEMPTS.format(minutes=5)


@pytest.fixture(autouse=True)
def _three_attempts(settings):
    settings.DESK_ADMIN_LOGIN_ATTEMPTS, settings.DESK_ADMIN_LOGIN_PERIOD = 3, 900


def login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response):
    return response.status_code == 302


def test_after_the_failures_even_the_right_password_waits(client, root):
    for _ in range(3):
        assert "Please enter the correct username and password" in login(client, "root", "wrong").text
    response = login(client, "root", "pw-root-123")
    assert not logged_in(response)
    assert PAUSED in response.text
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_usernames_is_paused(client, root):
    for name in ("alice", "bob", "carol"):
        login(client, name, "guess")
    assert PAUSED in login(client, "root", "pw-root-123").text
    assert logged_in(login(client, "root", "pw-root-123", address="10.0.0.2")), "another address is not"


def test_many_addresses_trying_one_username_is_paused(client, root):
    for number in range(3):
        login(client, "root", "guess", address=f"10.0.1.{number}")
    assert PAUSED in login(client, "root", "pw-root-123", address="10.0.2.1").text


def test_successful_logins_cost_nothing_and_nothing_is_stored_in_the_clear(client, root, settings):
    settings.REDIS_URL = ""  # the database's buckets, whose keys this reads; admin logins need no nonce
    for _ in range(5):
        assert logged_in(login(client, "root", "pw-root-123"))
        client.logout()
    login(client, "root", "wrong")
    keys = " ".join(Bucket.objects.values_list("key", flat=True))
    assert "root" not in keys and "10.0.0.1" not in keys


def test_behind_the_proxy_the_forwarded_address_counts(client, root, settings):
    settings.DESK_BEHIND_PROXY = True
    for number in range(3):
        client.post(
            LOGIN,
            {"username": f"user{number}", "password": "guess"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.7, 10.0.3.{number}",
        )
    # Three proxies' worth of different clients: none of them is paused, nor the proxy itself.
    assert logged_in(login(client, "root", "pw-root-123", address="10.9.9.9"))
