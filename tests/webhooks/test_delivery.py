"""Webhooks end to end: a ticket made through the API, the worker, a real HTTP receiver on loopback."""

import hashlib
import hmac
import io
import json
import threading
import time

import pytest
from django.core.management import call_command

from desk.webhooks.delivery import delivery_attempt
from desk.webhooks.models import Delivery, Webhook
from desk.webhooks.tasks import webhook_deliver
from tests.conftest import client_for
from tests.factories import make_branch, make_staff
from tests.tickets.factories import ticket_body
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def verify(secret, body, header, tolerance=300):
    """The README's recipe for receivers, verbatim."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


@pytest.fixture
def receiver(settings):
    settings.DESK_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    settings.DESK_WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.DESK_WEBHOOK_TIMEOUT = 0.5
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def world(db):
    staff = make_staff()
    return staff, client_for(staff), make_branch(default_assignee=staff)


def subscribe(api, url, types=("ticket.created",)):
    response = api.post("webhooks", {"url": url, "eventTypes": list(types)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def create_ticket(api, staff, branch):
    body = ticket_body(
        branch,
        staff,
        subject="Printer on fire",
        description="It smokes.",
        status="new",
        priority="low",
        source="web",
    )
    response = api.post("tickets", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.01", verbosity=0)


def test_a_ticket_created_is_one_signed_delivery(receiver, world):
    staff, api, branch = world
    hook = subscribe(api, receiver.url)
    ticket = create_ticket(api, staff, branch)
    assert receiver.received == []  # nothing is sent from the request itself
    run_worker()
    assert len(receiver.received) == 1
    sent = receiver.received[0]
    assert verify(hook["secret"], sent.body, sent.headers["X-Desk-Signature"])
    assert not verify("another secret of enough length", sent.body, sent.headers["X-Desk-Signature"])
    event = json.loads(sent.body)
    assert (event["type"], event["data"]["key"]) == ("ticket.created", ticket["key"])
    assert event == api.get(f"events?type=ticket.created&ticket={ticket['id']}").json()[0]
    assert sent.headers["X-Desk-Event"] == "ticket.created"
    deliveries = api.get(f"webhooks/{hook['id']}/deliveries").json()
    assert [(d["state"], d["attempts"], d["response_code"]) for d in deliveries] == [("delivered", 1, 200)]
    assert deliveries[0]["uuid"] == sent.headers["X-Desk-Delivery"] == sent.headers["Idempotency-Key"]
    run_worker()
    assert len(receiver.received) == 1


def test_a_500_and_a_timeout_are_retried_with_the_same_idempotency_id(receiver, world):
    staff, api, branch = world
    receiver.script = [500, "slow"]
    hook = subscribe(api, receiver.url)
    create_ticket(api, staff, branch)
    run_worker()
    assert len(receiver.received) == 3
    assert len({sent.headers["X-Desk-Delivery"] for sent in receiver.received}) == 1
    (delivery,) = api.get(f"webhooks/{hook['id']}/deliveries").json()
    assert (delivery["state"], delivery["attempts"]) == ("delivered", 3)
    log = [(attempt.get("response_code"), bool(attempt.get("error"))) for attempt in delivery["attempt_log"]]
    assert log == [(500, False), (None, True), (200, False)]


def test_a_410_stops_the_subscription_without_retrying(receiver, world):
    staff, api, branch = world
    receiver.script = [410]
    hook = subscribe(api, receiver.url)
    create_ticket(api, staff, branch)
    run_worker()
    assert len(receiver.received) == 1
    assert Delivery.objects.get().state == "failed"
    assert api.get(f"webhooks/{hook['id']}").json()["active"] is False
    create_ticket(api, staff, branch)
    run_worker()
    assert len(receiver.received) == 1


def test_attempts_stop_at_the_maximum(receiver, world, settings):
    settings.DESK_WEBHOOK_MAX_ATTEMPTS = 3
    staff, api, branch = world
    receiver.script = [503] * 10
    subscribe(api, receiver.url)
    create_ticket(api, staff, branch)
    run_worker()
    assert len(receiver.received) == 3
    assert (Delivery.objects.get().state, Delivery.objects.get().attempts) == ("failed", 3)


def test_a_redelivery_sends_it_again(receiver, world):
    staff, api, branch = world
    hook = subscribe(api, receiver.url)
    create_ticket(api, staff, branch)
    run_worker()
    (delivery,) = api.get(f"webhooks/{hook['id']}/deliveries").json()
    response = api.post(f"webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver")
    assert response.status_code == 202 and response.json()["state"] == "pending"
    run_worker()
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
    assert api.get(f"webhooks/{hook['id']}/deliveries/{delivery['id']}").json()["attempts"] == 2


def test_one_delivery_per_subscription_however_many_workers_try(receiver, world):
    staff, api, branch = world
    receiver.script = ["slow"]
    receiver.slow_seconds = 0.3
    subscribe(api, receiver.url)
    create_ticket(api, staff, branch)
    # The fan-out makes the delivery; then the same delivery is queued and attempted many times at once.
    run_worker()
    receiver.received.clear()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state="pending", attempts=0)
    receiver.script = ["slow"]
    for _ in range(3):
        webhook_deliver.enqueue(delivery.pk)
    threads = [threading.Thread(target=lambda: delivery_attempt(delivery_id=delivery.pk)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    run_worker()
    assert len(receiver.received) == 1
    assert Delivery.objects.get().attempts == 1


def test_only_the_subscribed_types_are_delivered(receiver, world):
    staff, api, branch = world
    subscribe(api, receiver.url, types=["comment.*"])
    ticket = create_ticket(api, staff, branch)
    api.post(
        "comments", {"ticket": ticket["id"], "author": f"oro_{staff.pk}", "content": "On it"}, format="json"
    )
    run_worker()
    assert [json.loads(sent.body)["type"] for sent in receiver.received] == ["comment.created"]


def test_an_unreachable_receiver_never_fails_the_request(world, settings):
    settings.DESK_WEBHOOK_ALLOW_PRIVATE = True
    settings.DESK_WEBHOOK_RETRY_BASE_SECONDS = 3600
    staff, api, branch = world
    subscribe(api, "http://127.0.0.1:9399/nobody-listens")
    create_ticket(api, staff, branch)
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("pending", 1, None)
    assert delivery.error


class TestSubscriptions:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/hook",
            "http://localhost:9300/hook",
            "http://10.1.2.3/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "ftp://example.com/hook",
            "file:///etc/passwd",
        ],
    )
    def test_private_addresses_and_other_schemes_are_refused(self, world, url):
        _, api, _ = world
        response = api.post("webhooks", {"url": url}, format="json")
        assert response.status_code == 400 and "url" in response.json()["errors"], response.content

    def test_crud_and_a_generated_secret(self, world):
        _, api, _ = world
        created = api.post(
            "webhooks", {"url": "https://hooks.example.com/desk", "eventTypes": ["ticket.*"]}, format="json"
        )
        assert created.status_code == 201
        hook = created.json()
        assert len(hook["secret"]) == 64 and hook["active"] is True and hook["event_types"] == ["ticket.*"]
        changed = api.patch(f"webhooks/{hook['id']}", {"active": False}, format="json").json()
        assert changed["active"] is False
        assert api.get("webhooks").json() == [changed]
        assert api.delete(f"webhooks/{hook['id']}").status_code == 204
        assert not Webhook.objects.exists()

    @pytest.mark.parametrize("types", [["ticket"], ["Ticket.Created"], "ticket.created", [5]])
    def test_bad_event_types_are_400(self, world, types):
        _, api, _ = world
        response = api.post(
            "webhooks", {"url": "https://hooks.example.com/", "eventTypes": types}, format="json"
        )
        assert response.status_code == 400, response.content

    def test_customers_have_no_webhooks(self, world):
        from tests.factories import make_customer

        customer = client_for(make_customer("c@example.com"))
        assert customer.get("webhooks").status_code == 404


def test_a_delivery_left_by_a_dead_worker_is_resumed(receiver, world):
    staff, api, branch = world
    subscribe(api, receiver.url)
    receiver.script = [503]
    create_ticket(api, staff, branch)
    run_worker()
    receiver.received.clear()
    # As if a worker had claimed the next attempt and died: the claim has expired, no task is queued.
    Delivery.objects.update(state="sending", claimed_until="2020-01-01T00:00:00Z")
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    run_worker()
    assert receiver.received == []
    out = io.StringIO()
    call_command("webhooks_resume", stdout=out)
    assert out.getvalue().strip() == "Queued 1 delivery(ies) again."
    run_worker()
    assert len(receiver.received) == 1 and Delivery.objects.get().state == "delivered"
