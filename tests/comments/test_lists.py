"""Comment lists: pages, filters, sorting and a cost that does not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk.comments.models import Comment
from tests.comments.factories import make_attachment, make_comment, make_ticket
from tests.conftest import STAFF_PREFIX, client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db


def ids(client, query=""):
    """The comment ids a list answers with, checking it answered 200."""
    response = client.get(f"comments?{query}")
    assert response.status_code == 200, response.content
    return [comment["id"] for comment in response.json()]


@pytest.fixture
def scene(admin_user):
    """Two tickets, comments by staff and a customer, one private, two of them long ago."""
    customer = make_customer()
    first = make_ticket(customer)
    second = make_ticket(admin_user)
    comments = [
        make_comment(first, admin_user, "Please send the LOGS"),
        make_comment(first, customer, "Here are the logs"),
        make_comment(first, admin_user, "Internal: escalate", private=True),
        make_comment(second, customer, "Another question"),
        make_comment(second, admin_user, "Answer"),
    ]
    Comment.objects.filter(pk__in=[comments[0].pk, comments[1].pk]).update(
        created_at="2015-07-17T11:25:21Z", updated_at="2015-07-17T11:25:21Z"
    )
    return {"customer": customer, "first": first, "second": second, "comments": [c.pk for c in comments]}


class TestPages:
    def test_list_is_a_bare_array_with_a_total(self, api, scene):
        response = api.get("comments")
        assert response.status_code == 200
        assert response["X-Total"] == "5"
        assert "Link" not in response
        assert [c["id"] for c in response.json()] == scene["comments"]
        assert response.json()[0]["attachments"] == []

    def test_pages_and_links_with_a_filter(self, api, admin_user):
        ticket = make_ticket(admin_user)
        made = [make_comment(ticket, admin_user, f"Comment {index}").pk for index in range(7)]
        make_comment(make_ticket(admin_user), admin_user, "Comment elsewhere")
        first = api.get(f"comments?limit=3&ticket={ticket.pk}")
        assert first["X-Total"] == "7"
        assert [c["id"] for c in first.json()] == made[:3]
        base = f"http://testserver{STAFF_PREFIX}/comments?limit=3&ticket={ticket.pk}"
        assert first["Link"] == f'<{base}&page=3>; rel="last", <{base}&page=2>; rel="next"'
        last = api.get(f"comments?limit=3&ticket={ticket.pk}&page=3")
        assert [c["id"] for c in last.json()] == made[6:]
        assert last["Link"] == (
            f'<{base}&page=1>; rel="first", <{base}&page=2>; rel="prev", <{base}&page=2>; rel="previous"'
        )
        past = api.get(f"comments?limit=3&ticket={ticket.pk}&page=9")
        assert past.status_code == 200
        assert past.json() == []
        assert past["X-Total"] == "7"

    @pytest.mark.parametrize("query", ["limit=0", "limit=1001", "page=0", "page=x"])
    def test_bad_page_or_limit_is_400(self, api, query):
        response = api.get(f"comments?{query}")
        assert response.status_code == 400
        assert response.json()["error"]

    def test_xml_list(self, api, scene):
        response = api.get("comments.xml?limit=1")
        text = response.content.decode()
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert text.startswith(
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><entry><attachments/><author>'
        )
        assert text.count("<entry>") == 1
        assert "<private>false</private>" in text


class TestFilters:
    def test_each_filter(self, api, admin_user, scene):
        c = scene["comments"]
        customer = scene["customer"]
        assert ids(api, f"ticket={scene['first'].pk}") == c[:3]
        assert ids(api, f"author=oro_{admin_user.pk}") == [c[0], c[2], c[4]]
        assert ids(api, f"author=diamante_{customer.pk}") == [c[1], c[3]]
        assert ids(api, "author=diamante_999") == []
        assert ids(api, "content=logs") == [c[0], c[1]]
        assert ids(api, "content=LOGS") == [c[0], c[1]]
        assert ids(api, "private=true") == [c[2]]
        assert ids(api, "private=0") == [c[0], c[1], c[3], c[4]]
        assert ids(api, "unknown=1&private=1") == [c[2]]

    def test_filters_combine_with_and(self, api, admin_user, scene):
        c = scene["comments"]
        query = f"ticket={scene['first'].pk}&author=oro_{admin_user.pk}&private=false"
        assert ids(api, query) == [c[0]]
        response = api.get(f"comments?{query}&content=nothing")
        assert (response.json(), response["X-Total"]) == ([], "0")
        assert api.get(f"comments?author=oro_{admin_user.pk}&content=a")["X-Total"] == "3"

    def test_date_filters(self, api, scene):
        c = scene["comments"]
        assert ids(api, "createdBefore=2016-01-01") == c[:2]
        assert ids(api, "createdAfter=2015-07-17T11:25:21%2B0000") == c
        assert ids(api, "created_after=2015-07-17T11:25:22Z") == c[2:]
        assert ids(api, "updatedBefore=2015-07-17 12:25:22 0100") == c[:2]
        assert ids(api, f"updatedAfter=2020-01-01&ticket={scene['first'].pk}") == [c[2]]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("ticket=x", "ticket"),
            ("ticket=1.5", "ticket"),
            ("ticket=-1", "ticket"),
            ("ticket=99999999999999999999999", "ticket"),
            ("author=5", "author"),
            ("author=oro_x", "author"),
            ("author=customer_1", "author"),
            ("private=maybe", "private"),
            ("createdAfter=yesterday", "created_after"),
            ("updatedBefore=2015-13-01", "updated_before"),
        ],
    )
    def test_bad_filter_is_400(self, api, query, field):
        response = api.get(f"comments?{query}")
        assert response.status_code == 400
        assert response.json()["error"].startswith(f"{field}: ")
        assert field in response.json()["errors"]


class TestSort:
    def test_sort_fields(self, api, admin_user, scene):
        c = scene["comments"]
        by_content = ids(api, "sort=content")
        assert by_content == [c[3], c[4], c[1], c[2], c[0]]
        assert ids(api, "sort=content&order=DESC") == by_content[::-1]
        assert ids(api, "sort=private&order=desc")[0] == c[2]
        assert ids(api, "sort=createdAt") == [c[0], c[1], c[2], c[3], c[4]]
        assert ids(api, "sort=updated_at&order=desc")[-2:] == [c[1], c[0]]
        assert ids(api, "order=desc") == c[::-1]
        # Staff authors first, then customers, each by id.
        assert ids(api, "sort=author") == [c[0], c[2], c[4], c[1], c[3]]

    def test_sort_by_ticket(self, api, admin_user, scene):
        c = scene["comments"]
        late = make_comment(scene["first"], admin_user, "Late on the first ticket").pk
        assert ids(api, "sort=ticket") == [*c[:3], late, *c[3:]]
        assert ids(api, "sort=ticket&order=desc") == [c[4], c[3], late, *c[2::-1]]

    @pytest.mark.parametrize("query", ["sort=author_kind", "sort=attachments", "sort=ticket__id", "order=up"])
    def test_bad_sort_is_400(self, api, query):
        response = api.get(f"comments?{query}")
        assert response.status_code == 400
        assert response.json()["error"]


class TestCost:
    @staticmethod
    def queries(client, path):
        """How many queries a list costs in all, and how many of them read comments or attachments."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            assert response.status_code == 200
        reads = [
            q["sql"]
            for q in captured
            if "comments_comment" in q["sql"] or "attachments_attachment" in q["sql"]
        ]
        return len(captured), len(reads), response

    @pytest.mark.parametrize("who", ["staff", "customer"])
    def test_list_cost_does_not_grow_with_rows(self, db, who):
        customer = make_customer()
        staff = make_staff()
        client = client_for(customer if who == "customer" else staff)
        ticket = make_ticket(customer)
        make_attachment(make_comment(ticket, staff))
        self.queries(client, "comments")  # the first signed call also records the key's last use
        single, single_reads, response = self.queries(client, "comments?limit=30")
        assert len(response.json()) == 1
        for index in range(30):
            comment = make_comment(ticket, customer if index % 2 else staff)
            make_attachment(comment, thumbnail=True)
            make_attachment(comment)
        many, many_reads, response = self.queries(client, "comments?limit=30")
        assert len(response.json()) == 30
        assert all(len(comment["attachments"]) in (1, 2) for comment in response.json())
        assert many == single
        # The page (carrying the count) and one query for every attachment on it.
        assert single_reads == many_reads == 2
