"""Hostile bodies on every write route: always a 4xx or a success, never a 500, on both mounts."""

import pytest

from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NASTY_VALUES = [
    None,
    True,
    10**30,
    -1,
    1.5,
    "",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "💥\u202e",
    [],
    [1, {"a": None}],
    {},
    {"nested": {"deep": [1, 2]}},
]
FIELDS = {
    "branches": ["name", "key", "description", "tags", "default_assignee"],
    "tickets": ["branch", "subject", "description", "status", "priority", "source", "reporter", "assignee"],
    "comments": ["content", "ticket", "author", "ticket_status", "private"],
    "users": ["email", "first_name", "last_name"],
}


@pytest.fixture
def world(admin_user, customer):
    branch = Branch.objects.create(name="Support", key="SUPP", last_ticket_number=1)
    ticket = Ticket.objects.create(
        branch=branch, number=1, key="SUPP-1", subject="s", description="d", reporter_customer=customer
    )
    comment = Comment.objects.create(ticket=ticket, author_customer=customer, content="c")
    valid = {
        "branches": {"name": "Valid Name"},
        "tickets": {
            "branch": branch.pk,
            "subject": "s",
            "description": "d",
            "status": "new",
            "priority": "low",
            "source": "web",
            "reporter": admin_user.person_id,
        },
        "comments": {"content": "c", "ticket": ticket.pk, "author": admin_user.person_id},
        "users": {"email": "valid@example.com", "first_name": "F", "last_name": "L"},
    }
    details = {"branches": branch.pk, "tickets": ticket.pk, "comments": comment.pk}
    return valid, details


@pytest.mark.parametrize("resource", sorted(FIELDS))
def test_no_body_value_gives_a_server_error(api, customer, world, resource):
    valid, details = world
    clients = [api] + ([client_for(customer)] if resource != "users" else [])
    for client in clients:
        for field in FIELDS[resource]:
            for value in NASTY_VALUES:
                body = {**valid[resource], field: value}
                created = client.post(resource, body, format="json")
                assert created.status_code < 500, (resource, field, value, created.content[:200])
                if resource in details:
                    changed = client.patch(f"{resource}/{details[resource]}", {field: value}, format="json")
                    assert changed.status_code < 500, (resource, field, value, changed.content[:200])


@pytest.mark.parametrize("resource", ["branches", "tickets", "comments", "users"])
def test_hostile_query_strings_give_no_server_error(api, world, resource):
    for query in [
        "page=1e400",
        "limit=%00",
        "sort=%00",
        "order=%F0%9F%92%A5",
        "createdAfter=9999-99-99",
        "createdBefore=0000-01-01",
        "updatedAfter=2015-07-17T25:00:00",
        "branch=-1",
        "ticket=99999999999999999999",
        "name=%00",
        "subject=%00",
        "content=%00",
        "email=%00",
        "key=%25%25",
        "status=%00",
        "private=%00",
        "reporter=oro_99999999999999999999",
        "author=diamante_-1",
        "q=%00",
    ]:
        response = api.get(f"{resource}?{query}")
        assert response.status_code < 500, (resource, query, response.content[:200])


@pytest.mark.parametrize(
    "query",
    [
        "limit=²",
        "page=²",
        "limit=٣",
        "createdAfter=0001-01-01T00:00:00%2B01:00",
        "createdBefore=9999-12-31T23:59:59-01:00",
        "createdAfter=0001-01-01 00:00:00 0100",
        "default_assignee=99999999999999999999",
        "default_assignee=1e30",
    ],
)
def test_edge_query_values_are_400(api, query):
    response = api.get(f"branches?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["error"]


def test_deeply_nested_json_is_400(api):
    for depth in (900, 5000):
        body = b"[" * depth + b"]" * depth
        response = api.post("branches", body, content_type="application/json")
        assert response.status_code == 400, depth
        assert response.json() == {"error": "JSON document is too deeply nested."}


@pytest.mark.parametrize("path", ["branches", "tickets", "comments", "users"])
def test_options_answers_without_error(api, path):
    assert api.options(path).status_code == 200


def test_nan_quality_counts_as_zero(api):
    response = api.get("branches", HTTP_ACCEPT="application/xml;q=nan, application/json;q=0.5")
    assert response["Content-Type"] == "application/json"


def test_no_watcher_or_customer_by_id_value_gives_a_server_error(api, customer, world):
    _, details = world
    ticket = details["tickets"]
    for client in (api, client_for(customer)):
        for field in ("email", "id"):
            for value in NASTY_VALUES:
                added = client.post(f"tickets/{ticket}/watchers", {field: value}, format="json")
                assert added.status_code < 500, (field, value, added.content[:200])
    for field in FIELDS["users"]:
        for value in NASTY_VALUES:
            changed = api.patch(f"users/{customer.pk}", {field: value}, format="json")
            assert changed.status_code < 500, (field, value, changed.content[:200])


def test_hostile_staff_user_lookups_give_no_server_error(api):
    for query in [
        "username=%00",
        "email=%00",
        "username=" + "x" * 5000,
        "email=%F0%9F%92%A5",
        "username[]=a",
    ]:
        response = api.get(f"/api/rest/latest/user/filter?{query}")
        assert response.status_code in (200, 404), (query, response.content[:200])
    for query in ["limit=%00", "limit=99999999999999999999", "page=-1", "limit=1e3"]:
        assert api.get(f"/api/rest/latest/users?{query}").status_code == 400, query
