"""OpenAPI for deliveries: redelivery answers 202 with the delivery, and takes no body."""

from desk.openapi.autoschema import DeskAutoSchema


class DeliverySchema(DeskAutoSchema):
    def get_summary(self):
        if self.action == "redeliver":
            return "Send a delivery again"
        return "Deliveries of a webhook" if self._is_list_view() else "A delivery of a webhook"

    def get_description(self):
        if self.action == "redeliver":
            return "Queues a new attempt at once, whatever became of the delivery; attempts go on counting."
        return "Each delivery with its state, its last answer and every attempt (code, duration, error)."

    def _get_request_body(self, direction="request"):
        return None if self.action == "redeliver" else super()._get_request_body(direction)

    def _success_responses(self):
        if self.action != "redeliver":
            return super()._success_responses()
        entity = self.serializer_ref(self._get_serializer(), "response")
        return {"202": {"description": "Queued.", "content": self._content(entity)}}
