"""What a DiamanteDesk 2.x database adds: watchers, soft-deleted customers, branch counters, ticket tags."""

from datetime import UTC, datetime

from desk.branches.models import Branch
from desk.tickets.models import Ticket, Watcher
from desk.users.models import Customer
from tests.conftest import CUSTOMER_PREFIX, SignedClient
from tests.importer import sample


def test_report_names_the_version(imported_2x):
    assert imported_2x.stdout.startswith("DiamanteDesk 2.x import report\n")
    assert "watchers" in imported_2x.stderr


def test_watchers_kept_once_each_missing_people_skipped(imported_2x):
    watchers = list(Watcher.objects.order_by("pk").values_list("pk", "ticket_id", "user_id", "customer_id"))
    assert watchers == [(1, 1, None, 1), (2, 1, 1, None), (4, 3, None, 3), (6, 7, 2, None)]
    assert "same person watching the same ticket again: 1\n    3: oro_1" in imported_2x.stdout
    assert "the person no longer exists: 1\n    5: diamante_77" in imported_2x.stdout


def test_watchers_through_the_api(imported_2x):
    staff = SignedClient("admin", sample.ADMIN_KEY)
    response = staff.get("tickets/1/watchers")
    assert response.status_code == 200
    assert sorted(person["id"] for person in response.json()) == ["diamante_1", "oro_1"]


def test_deleted_customer_is_soft_deleted(imported_2x):
    erin = Customer.objects.get(pk=7)
    assert erin.deleted_at == datetime(2016, 9, 20, 12, tzinfo=UTC)
    assert not Customer.objects.live().filter(pk=7).exists()
    assert erin.created_at == datetime(2016, 9, 1, 10, tzinfo=UTC)
    # As a deletion here does: the key is revoked and the customer stops watching.
    assert erin.api_keys.get().revoked_at == erin.deleted_at
    assert not Watcher.objects.filter(customer=erin).exists()
    assert (
        "a deleted customer stops watching, as a deletion here does: 1\n    7: diamante_7"
        in imported_2x.stdout
    )
    erin_api = SignedClient("erin@example.com", sample.portal_secret("erin"), prefix=CUSTOMER_PREFIX)
    assert erin_api.get("tickets").status_code == 401


def test_customer_timestamps_from_2x(imported_2x):
    assert Customer.objects.get(pk=1).updated_at == datetime(2016, 9, 1, 10, tzinfo=UTC)


def test_branch_counter_past_the_2x_counter(imported_2x):
    # Billing had handed out numbers up to 20 (its counter said 21) although its live tickets stop at 2.
    # The renumbered duplicate takes the counter's next number, 21.
    assert Ticket.objects.get(pk=10).key == "BILL-21"
    assert dict(Branch.objects.values_list("key", "last_ticket_number")) == {"GS": 5, "BILL": 21, "TI": 4}


def test_ticket_tags_reported_as_not_imported(imported_2x):
    assert (
        "ticket tags: not imported (tickets have no tags here): 1\n    ticket 6: tech" in imported_2x.stdout
    )


def test_link_columns_that_disagree_with_the_email_pairing_are_reported(imported_2x):
    assert "2.x link columns disagree with the pairing by e-mail" in imported_2x.stdout
    assert Customer.objects.get(pk=6).api_keys.get().key == sample.portal_secret(sample.ALICE_PASSWORD)


def test_null_updated_at_takes_created_at(imported_2x):
    ticket = Ticket.objects.get(pk=4)
    assert ticket.updated_at == ticket.created_at
    assert "no updated_at: created_at used: 1\n    4" in imported_2x.stdout


def test_2x_only_columns_noted(imported_2x):
    assert "2.x column not imported (this server has no such field): 3" in imported_2x.stdout
