"""The feed's paging: `after=<id>` and `limit`, a `Link` to the next page, no count (it is a stream)."""

from urllib.parse import urlencode

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from desk.api.pagination import whole_number

AFTER_MESSAGE = '"after" should be a whole number from 0: the id of the last event you read.'


class EventFeedPagination(BasePagination):
    """Events after a given id, oldest first; `Link: <...after=N>; rel="next"` while more may follow."""

    def get_schema_operation_parameters(self, view):
        return [
            {
                "in": "query",
                "name": "after",
                "schema": {"type": "integer", "minimum": 0, "default": 0},
                "description": "Only events with a greater id: the id of the last event you read (0: from "
                "the oldest kept).",
            },
            {
                "in": "query",
                "name": "limit",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": settings.DESK_MAX_PAGE_SIZE,
                    "default": 100,
                },
                "description": "Events per page.",
            },
        ]

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.after = whole_number(request, "after", 0, AFTER_MESSAGE)
        maximum = settings.DESK_MAX_PAGE_SIZE
        limit_message = f'"limit" should be a whole number between 1 and {maximum}.'
        self.limit = whole_number(request, "limit", 100, limit_message)
        if not 1 <= self.limit <= maximum:
            raise ValidationError(limit_message)
        # One row more than a page says whether a next page exists, in the same query.
        rows = list(queryset.filter(pk__gt=self.after).order_by("pk")[: self.limit + 1])
        self.has_next = len(rows) > self.limit
        self.page = rows[: self.limit]
        return self.page

    def next_url(self):
        """The URL of the page after this one: the same query with `after` at this page's last id."""
        params = [
            (key, value)
            for key, values in self.request.query_params.lists()
            if key != "after"
            for value in values
        ]
        params.append(("after", self.page[-1].pk))
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(params)

    def get_paginated_response(self, data):
        headers = {"Link": f'<{self.next_url()}>; rel="next"'} if self.has_next else {}
        return Response(data, headers=headers)
