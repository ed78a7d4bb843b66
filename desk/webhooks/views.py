"""Webhook endpoints on the staff mount: subscriptions, their deliveries, and redelivery."""

from rest_framework import status
from rest_framework.response import Response

from desk.api.viewsets import DeskViewSet
from desk.webhooks.delivery import delivery_redeliver
from desk.webhooks.models import DELIVERY_NOT_FOUND, WEBHOOK_NOT_FOUND, Delivery, Webhook
from desk.webhooks.schema import DeliverySchema
from desk.webhooks.serializers import DeliverySerializer, WebhookSerializer
from desk.webhooks.tasks import webhook_deliver


class WebhookViewSet(DeskViewSet):
    """Subscriptions, by the model permissions on webhooks."""

    queryset = Webhook.objects.all()
    serializer_class = WebhookSerializer
    filter_backends = []
    entity_name = "Webhook"
    not_found_message = WEBHOOK_NOT_FOUND


class DeliveryViewSet(DeskViewSet):
    """`webhooks/{id}/deliveries`: newest first, each with its attempts; `.../redeliver` sends one again."""

    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    filter_backends = []
    entity_name = "Delivery"
    not_found_message = DELIVERY_NOT_FOUND
    owner_model = Webhook
    owner_not_found_message = WEBHOOK_NOT_FOUND
    schema = DeliverySchema()
    schema_resource = "webhook deliveries"
    path_parameters = {
        "deliveryId": {"schema": {"type": "integer", "minimum": 0}, "description": "Delivery id."}
    }

    def get_permission_model(self):
        return Webhook

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(webhook=self.get_owner())
            .select_related("event")
            .prefetch_related("attempt_log")
            .order_by("-id")
        )

    def redeliver(self, request, *args, **kwargs):
        """Queue the delivery again now; the answer is the delivery, pending."""
        delivery = delivery_redeliver(delivery=self.get_object())
        webhook_deliver.enqueue(delivery.pk)
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)
