"""The count of every ticket comes from per-branch counts kept by triggers; it stays exact through every write."""

import pytest
from django.db import connection

from desk.tickets.models import Ticket
from desk.tickets.services import ticket_update
from tests.factories import make_branch, make_staff, make_ticket


def counted():
    """What the triggers' table says, and what a scan of the tickets says."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(tickets), 0) FROM tickets_branchticketcount")
        kept = int(cursor.fetchone()[0])
    return kept, Ticket.objects.filter(pk__gte=0).count()


@pytest.mark.django_db
def test_the_count_follows_creates_moves_and_deletes(api):
    staff = make_staff("agent")
    support, sales = make_branch("Support"), make_branch("Sales")
    tickets = [make_ticket(staff, branch=support) for _ in range(5)]
    assert counted() == (5, 5)
    ticket_update(ticket=tickets[0], branch=sales)
    assert counted() == (5, 5)
    tickets[1].delete()
    Ticket.objects.filter(pk__in=[tickets[2].pk, tickets[3].pk]).delete()
    assert counted() == (2, 2)
    sales.delete()  # its ticket goes with it
    assert counted() == (1, 1)
    assert Ticket.objects.count() == 1
    response = api.get("tickets")
    assert response["X-Total"] == "1"


@pytest.mark.django_db
def test_a_filtered_or_customer_list_is_counted_by_the_database(api):
    staff = make_staff("agent")
    make_ticket(staff, subject="Refund please")
    make_ticket(staff, subject="Printer")
    assert api.get("tickets?subject=refund")["X-Total"] == "1"
    assert api.get("tickets/search?q=printer")["X-Total"] == "1"
    assert Ticket.objects.none().count() == 0
    assert api.get("tickets")["X-Total"] == "2"
