"""`page`/`limit` pagination with `X-Total` and a `Link` header, as the original server sent them."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Func, IntegerField, Subquery
from django.db.models.query import ModelIterable
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response


def whole_number(request, name, default, message):
    """A query parameter that must be a whole number (ASCII digits, at most 18); anything else is 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    # isdigit() alone admits digits such as "²" that int() refuses.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ValidationError(message)
    return int(raw)


def _positive_int(request, name, default, maximum=None):
    """A query parameter that must be a whole number from 1 (to maximum); anything else is 400."""
    message = (
        f'"{name}" should be a whole number between 1 and {maximum}.'
        if maximum
        else f'"{name}" should be a whole number from 1.'
    )
    value = whole_number(request, name, default, message)
    if value < 1 or (maximum and value > maximum):
        raise ValidationError(message)
    return value


# The page's rows carry the count of everything that matches under this name.
TOTAL = "_desk_total"


def count_expression(queryset):
    """The count of all the queryset matches, as one scalar subquery; None where that would not be exact.

    A queryset may offer its own (`count_expression()`: tickets read their kept per-branch counts). The
    database evaluates an uncorrelated scalar subquery once, so the page and its count cost one query.
    """
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.group_by is not None
        or any(getattr(annotation, "contains_aggregate", False) for annotation in query.annotations.values())
    ):
        return None
    own = getattr(queryset, "count_expression", None)
    expression = own() if own is not None else None
    if expression is not None:
        return expression
    return counted(queryset)


def counted(queryset):
    """The number of rows the queryset matches, as an uncorrelated scalar subquery."""
    return Subquery(queryset.order_by().values(n=_CountAll()))


class _CountAll(Func):
    """`COUNT(*)` that the ORM does not take for an aggregate, so it adds no GROUP BY: always one row.

    (`Count` would group by every column; grouping by a constant instead cost three more clones.)
    """

    template = "COUNT(*)"
    output_field = IntegerField()


class DeskPagination(BasePagination):
    """Bare-array pages; the count and the neighbouring pages travel in headers."""

    unbounded = False  # whether `limit` has no maximum

    def get_schema_operation_parameters(self, view):
        limit = {"type": "integer", "minimum": 1, "maximum": settings.DESK_MAX_PAGE_SIZE}
        if self.unbounded:
            del limit["maximum"]
        return [
            {
                "in": "query",
                "name": "page",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
                "description": "Page number from 1; a page past the last is an empty array.",
            },
            {
                "in": "query",
                "name": "limit",
                "schema": {**limit, "default": settings.DESK_PAGE_SIZE},
                "description": "Entries per page.",
            },
        ]

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        maximum = None if self.unbounded else settings.DESK_MAX_PAGE_SIZE
        self.limit = _positive_int(request, "limit", settings.DESK_PAGE_SIZE, maximum)
        self.page = _positive_int(request, "page", 1)
        offset = (self.page - 1) * self.limit
        expression = count_expression(queryset)
        if expression is None:
            self.total = queryset.count()
            return list(queryset[offset : offset + self.limit]) if offset < self.total else []
        # One round trip for the page and the count; only a page past the end asks again.
        rows = list(queryset.annotate(**{TOTAL: expression})[offset : offset + self.limit])
        if rows:
            self.total = int(getattr(rows[0], TOTAL))
        else:
            self.total = queryset.count() if offset else 0
        return rows

    @property
    def last_page(self):
        """The number of the last page (1 when nothing matches)."""
        return max(1, -(-self.total // self.limit))

    def _page_url(self, page):
        params = [
            (key, value)
            for key, values in self.request.query_params.lists()
            if key != "page"
            for value in values
        ]
        params.append(("page", page))
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(params)

    def get_links(self):
        """The Link relations for this page, in the contract's order."""
        last = self.last_page
        if last <= 1:
            return []
        links = []
        if self.page > 1:
            links.append(("first", 1))
        if self.page < last:
            links.append(("last", last))
            links.append(("next", self.page + 1))
        if self.page > 1:
            previous = min(self.page - 1, last)
            links.append(("prev", previous))
            links.append(("previous", previous))
        return links

    def get_paginated_response(self, data):
        headers = {"X-Total": str(self.total)}
        links = self.get_links()
        if links:
            headers["Link"] = ", ".join(f'<{self._page_url(page)}>; rel="{rel}"' for rel, page in links)
        return Response(data, headers=headers)
