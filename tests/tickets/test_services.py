"""Ticket numbering and moves: numbers never handed out twice, also under concurrent creates."""

import threading

import pytest
from django.db import IntegrityError, connection

from desk.branches.models import Branch
from desk.tickets.models import Ticket, TicketKeyHistory
from desk.tickets.services import ticket_create, ticket_move, ticket_update
from desk.users.models import Customer
from tests.factories import make_customer, make_staff
from tests.tickets.factories import make_branch, make_ticket

CONCURRENT_CREATES = 20


@pytest.mark.django_db
class TestNumbering:
    def test_numbers_grow_per_branch_and_survive_deletes(self):
        reporter = make_customer()
        branch = make_branch()
        first, second = make_ticket(reporter, branch), make_ticket(reporter, branch)
        assert (first.key, second.key, second.number) == ("SUPP-1", "SUPP-2", 2)
        second.delete()
        first.delete()
        assert make_ticket(reporter, branch).key == "SUPP-3"
        assert Branch.objects.get(pk=branch.pk).last_ticket_number == 3

    def test_a_failed_create_leaves_the_counter_alone(self):
        reporter = make_customer()
        squatter = make_ticket(reporter, make_branch("Other", key="OTHER"))
        Ticket.objects.filter(pk=squatter.pk).update(key="SUPP-1")
        branch = make_branch()
        with pytest.raises(IntegrityError):
            # The key is taken, so the insert fails after the number was drawn.
            make_ticket(reporter, branch)
        assert Branch.objects.get(pk=branch.pk).last_ticket_number == 0
        assert Ticket.objects.count() == 1

    def test_default_assignee_when_none_given(self):
        agent = make_staff("agent", superuser=False)
        branch = make_branch(default_assignee=agent)
        assert make_ticket(make_customer(), branch).assignee == agent
        other = make_staff("other", superuser=False)
        assert make_ticket(make_customer("b@example.com"), branch, assignee=other).assignee == other


@pytest.mark.django_db
class TestMove:
    def test_move_takes_the_target_counter_and_keeps_the_old_key(self):
        reporter = make_customer()
        source, target = make_branch(), make_branch("Target", key="TARGET")
        make_ticket(reporter, target)
        ticket = make_ticket(reporter, source)
        before = ticket.updated_at
        ticket_move(ticket=ticket, branch=target)
        ticket.refresh_from_db()
        assert (ticket.key, ticket.number, ticket.branch) == ("TARGET-2", 2, target)
        assert ticket.updated_at > before
        assert list(TicketKeyHistory.objects.values_list("key", "ticket")) == [("SUPP-1", ticket.pk)]
        # The source counter is not given back: its next ticket is SUPP-2.
        assert make_ticket(reporter, source).key == "SUPP-2"

    def test_update_moves_and_changes_together(self):
        ticket = make_ticket(make_customer())
        target = make_branch("Target", key="TARGET")
        updated = ticket_update(ticket=ticket, branch=target, subject="Moved", status="closed")
        stored = Ticket.objects.get(pk=ticket.pk)
        assert (stored.key, stored.subject, stored.status) == ("TARGET-1", "Moved", "closed")
        assert updated.key == "TARGET-1"

    def test_update_writes_only_the_changed_columns(self):
        ticket = make_ticket(make_customer())
        stale = Ticket.objects.get(pk=ticket.pk)
        Ticket.objects.filter(pk=ticket.pk).update(status="closed")
        ticket_update(ticket=stale, subject="New subject")
        stored = Ticket.objects.get(pk=ticket.pk)
        assert (stored.subject, stored.status) == ("New subject", "closed")

    def test_a_key_that_comes_back_with_a_recreated_branch_goes_to_its_new_holder(self):
        reporter = make_customer()
        old_branch = make_branch("Old", key="OLD")
        elsewhere = make_branch("Elsewhere", key="ELSE")
        moved = make_ticket(reporter, old_branch)
        ticket_move(ticket=moved, branch=elsewhere)
        old_branch.delete()
        reborn = make_branch("Old again", key="OLD")
        newcomer = make_ticket(reporter, reborn)
        assert newcomer.key == "OLD-1"
        ticket_move(ticket=newcomer, branch=elsewhere)
        assert TicketKeyHistory.objects.get(key="OLD-1").ticket_id == newcomer.pk


def _create_in_thread(branch_id, reporter_id, barrier, numbers, errors):
    """One create on its own database connection, started together with the others."""
    try:
        barrier.wait(timeout=30)
        branch = Branch.objects.get(pk=branch_id)
        reporter = Customer.objects.get(pk=reporter_id)
        ticket = ticket_create(
            branch=branch,
            subject="Concurrent",
            description="D",
            status="new",
            priority="low",
            source="web",
            reporter=reporter,
        )
        numbers.append(ticket.number)
    except Exception as exc:  # reported by the test, which asserts there were none
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_consecutive_numbers():
    branch = make_branch()
    reporter = make_customer()
    barrier = threading.Barrier(CONCURRENT_CREATES)
    numbers, errors = [], []
    threads = [
        threading.Thread(target=_create_in_thread, args=(branch.pk, reporter.pk, barrier, numbers, errors))
        for _ in range(CONCURRENT_CREATES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == list(range(1, CONCURRENT_CREATES + 1))
    keys = sorted(Ticket.objects.values_list("key", flat=True), key=lambda key: int(key.split("-")[1]))
    assert keys == [f"SUPP-{n}" for n in range(1, CONCURRENT_CREATES + 1)]
    assert Branch.objects.get(pk=branch.pk).last_ticket_number == CONCURRENT_CREATES
