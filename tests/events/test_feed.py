"""The change feed: one entry per change, in commit order, paged with `after`, private events kept from customers."""

import io
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk.events.models import Event
from desk.tickets.services import ticket_create, ticket_update
from tests.conftest import client_for
from tests.factories import make_branch, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

TICKET = {
    "subject": "Printer on fire",
    "description": "It smokes.",
    "status": "new",
    "priority": "low",
    "source": "web",
}


def types(client, query=""):
    response = client.get(f"events{query}")
    assert response.status_code == 200, response.content
    return [event["type"] for event in response.json()]


class TestEventLog:
    def test_a_ticket_created_through_the_api_is_one_event_with_its_representation(self, api, admin_user):
        branch = make_branch(default_assignee=admin_user)
        body = {**TICKET, "branch": branch.pk, "reporter": f"oro_{admin_user.pk}"}
        created = api.post("tickets", body, format="json").json()
        events = api.get("events").json()
        assert [event["type"] for event in events if event["entity"] == "ticket"] == ["ticket.created"]
        event = events[-1]
        assert event["entity_id"] == created["id"] == event["ticket"] == event["data"]["id"]
        assert event["data"]["key"] == created["key"] and event["actor"] == f"oro_{admin_user.pk}"
        assert "comments" not in event["data"]

    def test_each_kind_of_change_is_its_own_event_once(self, api, admin_user):
        ticket = make_ticket(admin_user)
        other = make_staff("agent")
        api.patch(
            f"tickets/{ticket.pk}",
            {"status": "open", "assignee": other.pk, "subject": "Smoke"},
            format="json",
        )
        api.patch(f"tickets/{ticket.pk}", {"subject": "Smoke"}, format="json")  # no change, no event
        events = api.get("events?type=ticket.*").json()
        assert [event["type"] for event in events] == [
            "ticket.created",
            "ticket.status_changed",
            "ticket.assignee_changed",
            "ticket.updated",
        ]
        assert events[1]["changes"] == {"status": {"from": "new", "to": "open"}}
        assert events[2]["changes"] == {"assignee": {"to": other.pk}}
        assert events[3]["changes"] == {"subject": {"from": "Printer on fire", "to": "Smoke"}}

    def test_a_move_a_comment_a_watcher_an_attachment_and_deletes(self, api, admin_user):
        ticket = make_ticket(admin_user)
        other = make_branch("Billing", default_assignee=admin_user)
        api.patch(f"tickets/{ticket.pk}", {"branch": other.pk}, format="json")
        comment = api.post(
            "comments",
            {
                "ticket": ticket.pk,
                "author": f"oro_{admin_user.pk}",
                "content": "On it",
                "ticketStatus": "open",
            },
            format="json",
        ).json()
        api.post(f"tickets/{ticket.pk}/watchers", {"email": "watcher@example.com"}, format="json")
        api.delete(f"comments/{comment['id']}")
        api.delete(f"tickets/{ticket.pk}")
        events = api.get(f"events?ticket={ticket.pk}").json()
        assert [event["type"] for event in events] == [
            "ticket.created",
            "ticket.moved",
            "comment.created",
            "ticket.status_changed",
            "watcher.created",
            "comment.deleted",
            "ticket.deleted",
        ]
        assert events[1]["changes"]["key"] == {"from": "SUPP-1", "to": "BILL-1"}
        assert events[-1]["data"] == {
            "id": ticket.pk,
            "key": "BILL-1",
            "subject": "Printer on fire",
            "unique_id": {"id": ticket.unique_id},
            "reporter": f"oro_{admin_user.pk}",
            "watchers": [events[4]["data"]["id"]],
        }
        # The watcher given by an unknown email became a customer: that is a change too.
        assert "customer.created" in types(api, "?type=customer.created")

    def test_branches_and_customers_through_the_base_viewset(self, api):
        branch = api.post("branches", {"name": "Sales"}, format="json").json()
        api.patch(f"branches/{branch['id']}", {"description": "Deals"}, format="json")
        api.delete(f"branches/{branch['id']}")
        customer = api.post(
            "users", {"email": "c@example.com", "firstName": "C", "lastName": "D"}, format="json"
        ).json()
        api.patch(f"users/{customer['id']}", {"firstName": "E"}, format="json")
        api.delete(f"users/{customer['id']}")
        assert types(api, "?type=branch.*,customer.*") == [
            "branch.created",
            "branch.updated",
            "branch.deleted",
            "customer.created",
            "customer.updated",
            "customer.deleted",
        ]

    def test_a_rolled_back_write_records_nothing(self, admin_user):
        branch = make_branch()
        with pytest.raises(RuntimeError), transaction.atomic():
            ticket_create(branch=branch, reporter=admin_user, **TICKET)
            raise RuntimeError("the caller fails after the service")
        assert not Event.objects.exists()

    def test_a_failed_api_write_records_nothing(self, api, admin_user):
        ticket = make_ticket(admin_user)
        before = Event.objects.count()
        response = api.patch(f"tickets/{ticket.pk}", {"status": "exploded"}, format="json")
        assert response.status_code == 400
        assert Event.objects.count() == before


class TestFeed:
    def test_paging_with_after_and_a_next_link(self, api, admin_user):
        for index in range(5):
            make_ticket(admin_user, subject=f"T{index}")
        first = api.get("events?limit=2")
        ids = [event["id"] for event in first.json()]
        assert len(ids) == 2 and 'rel="next"' in first["Link"] and f"after={ids[-1]}" in first["Link"]
        assert "X-Total" not in first
        seen = ids
        while 'rel="next"' in first.get("Link", ""):
            first = api.get("events?" + urlsplit(first["Link"].split(";")[0].strip("<>")).query)
            seen += [event["id"] for event in first.json()]
        assert seen == sorted(seen) and len(seen) == 5
        assert api.get(f"events?after={seen[-1]}").json() == []

    @pytest.mark.parametrize("query", ["after=-1", "after=x", "limit=0", "limit=100000", "ticket=abc"])
    def test_bad_parameters_are_400(self, api, query):
        response = api.get(f"events?{query}")
        assert response.status_code == 400 and "error" in response.json()

    def test_a_page_costs_the_same_queries_whatever_its_size(self, api, admin_user):
        make_ticket(admin_user)
        api.get("events")

        def cost():
            with CaptureQueriesContext(connection) as captured:
                assert api.get("events").status_code == 200
            return len(captured)

        one = cost()
        for index in range(30):
            make_ticket(admin_user, subject=f"T{index}")
        assert cost() == one

    def test_customers_see_their_own_tickets_and_no_private_comment(self, admin_user):
        mine, theirs = make_customer("mine@example.com"), make_customer("theirs@example.com")
        own, other = make_ticket(mine), make_ticket(theirs)
        staff = client_for(admin_user)
        for private in (False, True):
            staff.post(
                "comments",
                {"ticket": own.pk, "author": f"oro_{admin_user.pk}", "content": "x", "private": private},
                format="json",
            )
        staff.post(f"tickets/{other.pk}/comments", {}, format="json")
        events = client_for(mine).get("events").json()
        assert {event["ticket"] for event in events} == {own.pk}
        assert [event["type"] for event in events] == ["ticket.created", "comment.created"]
        assert events[1]["data"]["private"] is False
        assert types(client_for(theirs)) == ["ticket.created"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_keep_ids_in_commit_order(admin_user):
    """Readers that follow `after` never miss an event that commits later with a smaller id."""
    branch = make_branch()
    ticket = make_ticket(admin_user, branch=branch)
    slow_recorded, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                ticket_update(ticket=ticket, subject="slow")
                slow_recorded.set()
                release.wait(5)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert slow_recorded.wait(5)
    fast = threading.Thread(
        target=lambda: (ticket_create(branch=branch, reporter=admin_user, **TICKET), connection.close())
    )
    fast.start()
    fast.join(0.5)
    # The fast write waits for the slow one: the feed's order is the commit order.
    assert fast.is_alive()
    release.set()
    thread.join(5)
    fast.join(5)
    assert list(Event.objects.values_list("type", flat=True)) == [
        "ticket.created",
        "ticket.updated",
        "ticket.created",
    ]


def test_purge_events_keeps_the_retention(admin_user, settings):
    make_ticket(admin_user)
    old = make_ticket(admin_user, subject="Old")
    Event.objects.filter(entity_id=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    out = io.StringIO()
    call_command("purge_events", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 event(s) older than 30 day(s)."
    assert list(Event.objects.values_list("entity_id", flat=True)) == [old.pk - 1]


def test_a_comment_turned_private_leaves_the_customers_feed(admin_user):
    mine = make_customer("mine@example.com")
    ticket = make_ticket(mine)
    staff = client_for(admin_user)
    body = {"ticket": ticket.pk, "author": f"oro_{admin_user.pk}", "content": "Call me"}
    comment = staff.post("comments", body, format="json").json()
    assert types(client_for(mine)) == ["ticket.created", "comment.created"]
    assert staff.patch(f"comments/{comment['id']}", {"private": True}, format="json").status_code == 200
    assert types(client_for(mine)) == ["ticket.created"]
    assert types(staff, "?type=comment.*") == ["comment.created", "comment.updated"]


def test_a_ticket_given_to_another_customer_takes_its_events_along(admin_user):
    first, second = make_customer("first@example.com"), make_customer("second@example.com")
    ticket = make_ticket(first)
    ticket_update(ticket=ticket, reporter_customer=second)
    assert types(client_for(first)) == []
    assert types(client_for(second)) == ["ticket.created", "ticket.updated"]
    changes = client_for(admin_user).get("events").json()[-1]["changes"]
    assert changes == {"reporter": {"from": f"diamante_{first.pk}", "to": f"diamante_{second.pk}"}}
