"""Conditional requests: strong ETags on entities, 304 for If-None-Match, 412 for a stale If-Match."""

import pytest

from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import Customer
from tests.conftest import client_for
from tests.factories import make_branch, make_comment, make_customer, make_ticket

pytestmark = pytest.mark.django_db


def entity(kind, admin_user):
    """A path to one entity of each conditional resource, a change to it, and its model."""
    if kind == "branches":
        branch = make_branch()
        return f"branches/{branch.pk}", {"description": "Changed"}, Branch
    if kind == "tickets":
        ticket = make_ticket(admin_user, make_branch())
        return f"tickets/{ticket.pk}", {"subject": "Changed"}, Ticket
    if kind == "comments":
        comment = make_comment(make_ticket(admin_user, make_branch()), admin_user)
        return f"comments/{comment.pk}", {"content": "Changed"}, Comment
    return f"users/{make_customer().pk}", {"firstName": "Changed"}, Customer


@pytest.fixture(params=["branches", "tickets", "comments", "users"])
def target(request, admin_user):
    return entity(request.param, admin_user)


def test_a_read_answers_a_strong_etag_that_follows_the_state_and_the_format(api, target):
    path, change, _ = target
    first, again, xml = api.get(path), api.get(path), api.get(f"{path}.xml")
    assert first["ETag"].startswith('"') and first["ETag"] == again["ETag"]
    assert xml["ETag"] != first["ETag"], "JSON and XML of one state are different representations"
    assert api.patch(path, change, format="json").status_code == 200
    assert api.get(path)["ETag"] != first["ETag"]


def test_if_none_match_is_304_until_the_entity_changes(api, target):
    path, change, _ = target
    tag = api.get(path)["ETag"]
    unchanged = api.get(path, HTTP_IF_NONE_MATCH=tag)
    assert unchanged.status_code == 304
    assert unchanged.content == b"" and unchanged["ETag"] == tag
    assert api.get(path, HTTP_IF_NONE_MATCH=f'"other", W/{tag}').status_code == 304
    api.patch(path, change, format="json")
    assert api.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_stale_if_match_is_412_and_changes_nothing(api, target):
    path, change, model = target
    tag = api.get(path)["ETag"]
    before = api.get(path).json()
    api.patch(path, change, format="json")
    after = api.get(path).json()
    assert after != before
    for method in (api.patch, api.put):
        response = method(path, {key: "Lost update" for key in change}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412
        assert response.json() == {"error": "The entity changed since it was read: get it again, then retry."}
    assert api.delete(path, HTTP_IF_MATCH=tag).status_code == 412
    assert api.get(path).json() == after
    assert model.objects.filter(pk=int(path.split("/")[1])).exists()


def test_a_current_if_match_writes_and_answers_the_next_tag(api, target):
    path, change, model = target
    tag = api.get(path)["ETag"]
    response = api.patch(path, change, format="json", HTTP_IF_MATCH=f'"other", {tag}')
    assert response.status_code == 200
    assert response["ETag"] == api.get(path)["ETag"] != tag
    assert api.patch(path, change, format="json", HTTP_IF_MATCH="*").status_code == 200
    weak = api.get(path)["ETag"]
    assert api.delete(path, HTTP_IF_MATCH=f"W/{weak}").status_code == 412, "If-Match compares strongly"
    assert api.delete(path, HTTP_IF_MATCH=weak).status_code == 204
    assert not model.objects.filter(pk=int(path.split("/")[1]), **_live(model)).exists()


def _live(model):
    return {"deleted_at__isnull": True} if model is Customer else {}


def test_a_ticket_tag_changes_with_its_comments_and_differs_per_caller(api, admin_user):
    customer = make_customer()
    ticket = make_ticket(customer, make_branch())
    tag = api.get(f"tickets/{ticket.pk}")["ETag"]
    make_comment(ticket, admin_user, private=True)
    staff_tag = api.get(f"tickets/{ticket.pk}")["ETag"]
    assert staff_tag != tag
    assert client_for(customer).get(f"tickets/{ticket.pk}")["ETag"] not in (staff_tag, None)


def test_the_calling_customer_is_conditional_too(customer, customer_api):
    tag = customer_api.get("users/current")["ETag"]
    assert customer_api.get("users/current", HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert (
        customer_api.patch(
            "users/current", {"firstName": "Ann"}, format="json", HTTP_IF_MATCH=tag
        ).status_code
        == 200
    )
    stale = customer_api.patch("users/current", {"firstName": "Bob"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    customer.refresh_from_db()
    assert customer.first_name == "Ann"


def test_lists_and_clients_without_the_headers_are_as_before(api, admin_user):
    make_ticket(admin_user, make_branch())
    listed = api.get("tickets")
    assert listed.status_code == 200 and "ETag" not in listed
    assert api.get("tickets", HTTP_IF_NONE_MATCH="*").status_code == 200
