"""Webhook routes: on the staff mount only."""

from desk.api.routing import ID, NUMBER, endpoint, resource
from desk.webhooks.views import DeliveryViewSet, WebhookViewSet

OWNER_ID = rf"(?P<owner_pk>{NUMBER})"


def webhook_routes(mount):
    """`webhooks`, `webhooks/{id}`, its deliveries and their redelivery; none for customers."""
    if mount != "staff":
        return []
    deliveries = rf"webhooks/{OWNER_ID}/deliveries"
    return [
        *resource("webhooks", WebhookViewSet, mount),
        endpoint(deliveries, DeliveryViewSet, {"get": "list"}, mount, "webhook-delivery-list"),
        endpoint(
            rf"{deliveries}/{ID}", DeliveryViewSet, {"get": "retrieve"}, mount, "webhook-delivery-detail"
        ),
        endpoint(
            rf"{deliveries}/{ID}/redeliver",
            DeliveryViewSet,
            {"post": "redeliver"},
            mount,
            "webhook-redeliver",
        ),
    ]
