"""The feed's OpenAPI description: a stream, so a `Link` to the next page and no `X-Total`."""

from desk.openapi.autoschema import DeskAutoSchema
from desk.openapi.objects import HEADERS


class EventFeedSchema(DeskAutoSchema):
    def get_summary(self):
        return "The change feed"

    def get_description(self):
        return (
            "Every create, update and delete, oldest first, in the order they were committed. Read on with "
            "`after=<id of the last event read>`; `Link` (rel `next`) is there while more may follow. Events "
            "are kept for DESK_EVENT_RETENTION_DAYS (30 by default). Customers read the events of the "
            "tickets they reported, never those of private comments."
        )

    def _success_responses(self):
        responses = super()._success_responses()
        next_link = {
            **HEADERS["Link"],
            "description": "The next page, while more may follow.",
            "example": '<http://localhost:8000/api/rest/latest/desk/events?limit=100&after=200>; rel="next"',
        }
        responses["200"]["headers"] = {"Link": next_link}
        return responses

    def _error_descriptions(self):
        errors = super()._error_descriptions()
        errors["400"] = "A bad `after`, `limit`, `type` or `ticket` value."
        return errors
