"""The X-Total of a lone filter or a search is a kept count once asked for; it stays exact through every write."""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from desk.tickets import filter_counts
from desk.tickets.filter_counts import condition, kept_text, like_pattern
from desk.tickets.models import Ticket
from desk.tickets.services import ticket_update
from tests.conftest import client_for
from tests.factories import make_branch, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

# (query string, lookup, text or value): every filter whose count is kept.
QUERIES = [
    ("tickets?subject=refund", "subject", "refund"),
    ("tickets?description=refund", "description", "refund"),
    ("tickets?key=sup-", "key", "sup-"),
    ("tickets/search?q=refund", "subject description", "refund"),
    ("tickets?status=Open", "status", "open"),
    ("tickets?priority=high", "priority", "high"),
    ("tickets?source=EMAIL", "source", "email"),
]


def kept():
    """The kept counts by (lookup, operand)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lookup, operand, tickets FROM tickets_filtercount")
        return {(lookup, operand): tickets for lookup, operand, tickets in cursor.fetchall()}


def operand(lookup, value):
    return value if lookup in filter_counts.EQUALITY_LOOKUPS else like_pattern(connection, value)


def assert_exact(api, *branch_ids):
    """Each query's X-Total is what a scan counts, and it came from a kept row."""
    for path, lookup, value in QUERIES:
        total = api.get(path)["X-Total"]
        key = (lookup, operand(lookup, value))
        assert total == str(Ticket.objects.filter(condition(*key)).count()), path
        assert kept()[key] == int(total), path
    for branch_id in branch_ids:
        response = api.get("tickets", {"branch": branch_id})
        assert response["X-Total"] == str(Ticket.objects.filter(branch_id=branch_id).count())


def test_the_kept_counts_follow_creates_edits_moves_and_deletes(api):
    staff = make_staff("clerk")
    support, sales = make_branch("Support", key="SUP"), make_branch("Sales", key="SAL")
    branch_ids = (support.pk, sales.pk)
    first = make_ticket(staff, branch=support, subject="Refund please", status="open")
    make_ticket(staff, branch=support, subject="Printer", description="I want a REFUND.", source="email")
    make_ticket(staff, branch=sales, subject="Printer", priority="high")
    assert_exact(api, *branch_ids)
    third = make_ticket(staff, branch=sales, subject="Where is my refund?", status="open", priority="high")
    assert_exact(api, *branch_ids)
    ticket_update(ticket=first, subject="Thanks")
    assert_exact(api, *branch_ids)
    ticket_update(ticket=first, status="closed", priority="high", source="email")
    assert_exact(api, *branch_ids)
    ticket_update(ticket=third, branch=support)  # its key becomes SUP-n
    assert_exact(api, *branch_ids)
    Ticket.objects.filter(pk=third.pk).update(description="refund refund")
    assert_exact(api, *branch_ids)
    Ticket.objects.filter(subject="Printer").delete()
    assert_exact(api, *branch_ids)
    sales.delete()
    support.delete()
    assert_exact(api, *branch_ids)
    assert set(kept().values()) == {0}


def test_a_text_with_like_wildcards_and_other_scripts_is_matched_as_a_substring(api):
    staff = make_staff("clerk")
    for subject in ["50%_off\\now", "500 off", "Ärger mit dem Drucker", "ÄRGER", "arger"]:
        make_ticket(staff, subject=subject)
    for text, matches in [("0%_OFF\\", 1), ("%", 1), ("_", 1), ("ärger", 2), ("ÄRG", 2), ("rger", 3)]:
        response = api.get("tickets", {"subject": text})
        assert response["X-Total"] == str(matches), text
        assert len(response.json()) == matches
        pattern = like_pattern(connection, text)
        assert kept_text(pattern) == text
        assert kept()[("subject", pattern)] == matches
    make_ticket(staff, subject="Noch mehr ärger")
    assert api.get("tickets", {"subject": "ärger"})["X-Total"] == "3"


def test_other_filters_and_customers_are_counted_by_the_database(api):
    staff = make_staff("clerk")
    customer = make_customer("c@example.com")
    make_ticket(staff, subject="Refund please", status="open")
    make_ticket(customer, subject="My refund")
    assert api.get("tickets?subject=refund&status=open")["X-Total"] == "1"
    assert api.get("tickets?status=open&priority=medium")["X-Total"] == "1"
    assert api.get("tickets/search?q=refund&subject=my")["X-Total"] == "1"
    assert api.get("tickets?subject=refund&description=smokes")["X-Total"] == "2"
    assert kept() == {}
    mine = client_for(customer)
    assert mine.get("tickets/search?q=refund")["X-Total"] == "1"
    assert kept() == {}


def test_evicted_counts_are_counted_again(api, monkeypatch):
    monkeypatch.setattr(filter_counts, "MAX_KEPT", 2)
    staff = make_staff("clerk")
    make_ticket(staff, subject="alpha beta gamma")
    for text in ["alpha", "beta", "gamma"]:
        assert api.get("tickets", {"subject": text})["X-Total"] == "1"
    assert set(kept()) == {("subject", "%beta%"), ("subject", "%gamma%")}
    make_ticket(staff, subject="alpha again")
    # This process still remembers alpha as kept; the page query counts it by a scan instead.
    assert api.get("tickets", {"subject": "alpha"})["X-Total"] == "2"


def test_recount_tickets_corrects_what_is_wrong_and_says_so(api):
    staff = make_staff("clerk")
    branch = make_branch("Support", key="SUP")
    for _ in range(3):
        make_ticket(staff, branch=branch, subject="Refund")
    assert api.get("tickets?subject=refund")["X-Total"] == "3"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_branchticketcount SET tickets = 7")
        cursor.execute("UPDATE tickets_filtercount SET tickets = 1")
    assert api.get("tickets")["X-Total"] == "7"
    assert api.get("tickets?subject=refund")["X-Total"] == "1"

    out = io.StringIO()
    call_command("recount_tickets", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Branch {branch.pk}: kept 7 tickets, counted 3; corrected.",
        "subject '%refund%': kept 1, counted 3; corrected.",
    ]
    assert api.get("tickets")["X-Total"] == "3"
    assert api.get("tickets?subject=refund")["X-Total"] == "3"

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tickets_branchticketcount")
    out = io.StringIO()
    call_command("recount_tickets", stdout=out)
    assert out.getvalue() == f"Branch {branch.pk}: kept 0 tickets, counted 3; corrected.\n"
    out = io.StringIO()
    call_command("recount_tickets", stdout=out)
    assert out.getvalue() == "Every kept ticket count was right.\n"
    assert api.get("tickets")["X-Total"] == "3"


@pytest.mark.django_db(transaction=True)
def test_a_first_count_waits_for_a_write_in_flight_and_keeps_it(api):
    # PostgreSQL: the count's SHARE lock waits for the write; SQLite: its IMMEDIATE transaction does.
    staff = make_staff("clerk")
    make_ticket(staff, subject="Refund please")
    written, finished = threading.Event(), threading.Event()

    def write():
        try:
            with transaction.atomic():
                make_ticket(staff, subject="Refund in flight")
                written.set()
                time.sleep(0.5)
        finally:
            connections.close_all()
            finished.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert written.wait(10)
    # Counted while the write is uncommitted, the new ticket would be missing from the count for good.
    assert api.get("tickets?subject=refund")["X-Total"] == "2"
    assert finished.wait(10)
    writer.join()
    assert kept()[("subject", "%refund%")] == Ticket.objects.filter(subject__icontains="refund").count() == 2
