"""The change feed: `GET events?after=<id>`, every change in commit order, deletes included."""

from desk.api.filtering import DeskFilterBackend
from desk.api.viewsets import DeskViewSet
from desk.events.filters import EventFilterSet
from desk.events.models import EVENT_NOT_FOUND, Event
from desk.events.pagination import EventFeedPagination
from desk.events.schema import EventFeedSchema
from desk.events.serializers import EventSerializer


class EventViewSet(DeskViewSet):
    """Staff read every event (model permission to view events); customers those of their own tickets."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    filter_backends = [DeskFilterBackend]
    pagination_class = EventFeedPagination
    entity_name = "Event"
    not_found_message = EVENT_NOT_FOUND
    customer_actions = ("list",)
    schema = EventFeedSchema()
