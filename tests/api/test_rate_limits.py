"""Opt-in rate limits: per API key with RateLimit headers and 429, and failed authentications per address."""

import pytest

from tests.conftest import client_for
from tests.factories import make_staff
from wsse_auth.client import make_header

pytestmark = pytest.mark.django_db


def test_off_by_default(api):
    responses = [api.get("branches") for _ in range(5)]
    assert {response.status_code for response in responses} == {200}
    assert "RateLimit-Limit" not in responses[-1]


def test_a_limited_key_gets_its_headers_then_429_while_others_keep_going(api, settings):
    settings.DESK_RATE_LIMIT, settings.DESK_RATE_LIMIT_PERIOD = 3, 60
    answers = [api.get("branches") for _ in range(3)]
    assert [answer["RateLimit-Remaining"] for answer in answers] == ["2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "3"
    assert 0 < int(answers[-1]["RateLimit-Reset"]) <= 60
    refused = api.get("branches")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "20"
    assert refused.json() == {"error": "Too many requests: retry in 20 second(s)."}
    assert refused["RateLimit-Remaining"] == "0"
    other = client_for(make_staff("agent"))
    assert other.get("branches").status_code == 200, "another integration keeps its own allowance"


def test_a_key_of_its_own_limit_wins(api, admin_user, settings):
    settings.DESK_RATE_LIMIT = 2
    admin_user.api_keys.update(rate_limit=0)
    assert {api.get("branches").status_code for _ in range(4)} == {200}
    admin_user.api_keys.update(rate_limit=1)
    assert [api.get("branches").status_code for _ in range(2)] == [200, 429]


def test_writes_count_too_and_a_refused_write_changes_nothing(api, settings):
    settings.DESK_RATE_LIMIT = 1
    assert api.post("branches", {"name": "One", "key": "ONE"}, format="json").status_code == 201
    assert api.post("branches", {"name": "Two", "key": "TWO"}, format="json").status_code == 429
    settings.DESK_RATE_LIMIT = 0
    assert [branch["key"] for branch in api.get("branches").json()] == ["ONE"]


def test_failed_authentications_pause_their_address_only(client, admin_user, settings):
    settings.DESK_AUTH_FAILURE_LIMIT = 3
    url = "/api/rest/latest/desk/branches"
    wrong = {"HTTP_X_WSSE": make_header("admin", "not-the-key"), "REMOTE_ADDR": "10.1.1.1"}
    assert [client.get(url, **wrong).status_code for _ in range(3)] == [401, 401, 401]
    assert client.get(url, REMOTE_ADDR="10.1.1.1").status_code == 429, "not even a header is checked"
    right = make_header("admin", admin_user.api_keys.get().key)
    assert client.get(url, HTTP_X_WSSE=right, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert (
        client.get(
            url, HTTP_X_WSSE=make_header("admin", admin_user.api_keys.get().key), REMOTE_ADDR="10.1.1.2"
        ).status_code
        == 200
    )


def test_successful_authentications_cost_the_address_nothing(api, settings):
    settings.DESK_AUTH_FAILURE_LIMIT = 1
    assert {api.get("branches").status_code for _ in range(4)} == {200}
