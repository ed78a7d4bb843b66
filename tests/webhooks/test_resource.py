"""Webhook subscriptions through the shared resource cases (staff mount only)."""

from desk.webhooks.models import WEBHOOK_NOT_FOUND, Webhook
from tests.api.resource_tests import ResourceTests
from tests.conftest import client_for


class TestWebhookResource(ResourceTests):
    collection = "webhooks"
    entity = "Webhook"
    not_found = WEBHOOK_NOT_FOUND

    def make_row(self, world, index):
        return Webhook.objects.create(url=f"https://hooks{index}.example.com/desk", event_types=["ticket.*"])

    def create_body(self, world):
        return {"url": "https://hooks.example.com/desk", "eventTypes": ["ticket.created", "comment.*"]}

    def update_body(self, world):
        return {"description": "The CRM"}, ("description", "The CRM")

    def test_a_customer_reaches_exactly_its_rows(self, world):
        # Subscriptions are for staff: the customer mount has no such route.
        self.make_row(world, 0)
        assert client_for(world.customer).get(self.collection).status_code == 404


def test_the_delivery_log_costs_the_same_queries_whatever_its_length(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from desk.events.models import Event
    from desk.webhooks.models import Delivery, DeliveryAttempt
    from tests.factories import make_staff

    api = client_for(make_staff())
    hook = Webhook.objects.create(url="https://hooks.example.com/desk")

    def add(count):
        for index in range(count):
            event = Event.objects.create(type="branch.created", entity="branch", entity_id=index, data={})
            delivery = Delivery.objects.create(webhook=hook, event=event, attempts=2)
            for number in (1, 2):
                DeliveryAttempt.objects.create(
                    delivery=delivery, number=number, response_code=500, duration_ms=3
                )

    def cost():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"webhooks/{hook.pk}/deliveries")
        assert response.status_code == 200
        return len(captured), len(response.json())

    add(1)
    cost()
    one, listed = cost()
    add(20)
    assert cost() == (one, 21) and listed == 1
