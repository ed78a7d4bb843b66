"""`Idempotency-Key`: a retried write gets the first answer, never a second run."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from desk.api.models import IdempotentRequest
from desk.tickets.models import Ticket
from tests.conftest import client_for
from tests.factories import make_branch, make_staff, make_ticket
from tests.tickets.factories import ticket_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(admin_user):
    return ticket_body(make_branch(), admin_user)


def post(api, body, key="k-1", path="tickets"):
    return api.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_gets_the_first_answer_and_runs_nothing(api, body):
    first, retry = post(api, body), post(api, body)
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Location"] == first["Location"]
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Idempotency-Replayed"] == "true" and "Idempotency-Replayed" not in first
    assert Ticket.objects.count() == 1


def test_the_same_key_with_another_request_is_422(api, body):
    post(api, body)
    for changed, path in (({**body, "subject": "Other"}, "tickets"), (body, "tickets/")):
        response = post(api, changed, path=path)
        assert response.status_code == 422
        assert response.json() == {"error": "This Idempotency-Key was already used for another request."}
    assert Ticket.objects.count() == 1


def test_keys_belong_to_one_api_key(api, body):
    other = client_for(make_staff("agent"))
    assert post(api, body).status_code == post(other, body).status_code == 201
    assert Ticket.objects.count() == 2


def test_without_a_key_every_request_runs(api, body):
    api.post("tickets", body, format="json")
    api.post("tickets", body, format="json")
    assert Ticket.objects.count() == 2


def test_a_refused_request_is_answered_the_same_again(api, body):
    first = post(api, {**body, "subject": ""})
    assert first.status_code == 400
    retry = post(api, {**body, "subject": ""})
    assert (retry.status_code, retry.content, retry["Idempotency-Replayed"]) == (400, first.content, "true")


def test_a_write_that_rolled_back_keeps_nothing_and_can_run_again(api, body, monkeypatch):
    def outage(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr("desk.tickets.views.ticket_create", outage)
    assert post(api, body).status_code == 503
    assert not IdempotentRequest.objects.exists()
    monkeypatch.undo()
    assert post(api, body).status_code == 201
    assert Ticket.objects.count() == 1


def test_a_retry_while_the_first_runs_is_409_until_that_is_abandoned(api, body, settings):
    post(api, body, key="warm-up")  # the same fingerprint as a running request would have
    running = IdempotentRequest.objects.get()
    IdempotentRequest.objects.filter(pk=running.pk).update(key="k-1", finished=False)
    response = post(api, body)
    assert response.status_code == 409
    assert response.json() == {
        "error": "A request with this Idempotency-Key is still running: retry it later."
    }
    stale = timezone.now() - timedelta(seconds=settings.DESK_IDEMPOTENCY_ABANDONED_AFTER + 1)
    IdempotentRequest.objects.filter(pk=running.pk).update(created_at=stale)
    assert post(api, body).status_code == 201
    assert Ticket.objects.count() == 2


def test_a_kept_answer_expires(api, body, settings):
    post(api, body)
    old = timezone.now() - timedelta(seconds=settings.DESK_IDEMPOTENCY_LIFETIME + 1)
    IdempotentRequest.objects.update(created_at=old)
    assert "Idempotency-Replayed" not in post(api, body)
    assert Ticket.objects.count() == 2


def test_updates_and_deletes_replay_too(api, admin_user):
    ticket = make_ticket(admin_user, make_branch())
    path = f"tickets/{ticket.pk}"
    patch = [api.patch(path, {"subject": "New"}, format="json", HTTP_IDEMPOTENCY_KEY="p") for _ in range(2)]
    assert patch[0].content == patch[1].content and patch[1]["ETag"] == patch[0]["ETag"]
    deletes = [api.delete(path, HTTP_IDEMPOTENCY_KEY="d") for _ in range(2)]
    assert [response.status_code for response in deletes] == [204, 204]
    assert deletes[1]["Idempotency-Replayed"] == "true"


def test_customers_retry_safely_too(customer, customer_api, body):
    body = {key: value for key, value in body.items() if key != "reporter"}
    assert post(customer_api, body).status_code == post(customer_api, body).status_code == 201
    assert Ticket.objects.filter(reporter_customer=customer).count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "with space"])
def test_a_malformed_key_is_400_and_runs_nothing(api, body, key):
    response = post(api, body, key=key)
    assert response.status_code == 400
    assert response.json()["error"] == "Idempotency-Key must be 1 to 255 visible ASCII characters."
    assert not Ticket.objects.exists()
