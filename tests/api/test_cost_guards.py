"""Cost guards, in statements and rows rather than timings: a list costs the same for 1 row and 25."""

import re

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from desk.branches.models import Branch
from desk.core.seed_scale import branch_key
from desk.tickets.models import Ticket
from desk.users.models import Customer
from tests.conftest import client_for
from tests.factories import make_attachment, make_branch, make_comment, make_customer, make_staff, make_ticket
from wsse_auth.authentication import WSSEAuthentication
from wsse_auth.client import make_header

ROWS_AT_MOST = 25
# Model objects a request may build besides the rows it returns: the caller, its key, a holder.
CONSTANT_OBJECTS = 6
TRANSACTION_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)", re.IGNORECASE)


def normalised(sql):
    """A statement with its values taken out, so that one for other ids reads the same."""
    sql = re.sub(r"IN \([^)]*\)", "IN (…)", sql)
    sql = re.sub(r"'[^']*'", "'…'", sql)
    return re.sub(r"\b\d+\b", "N", sql)


class Cost:
    """The statements one request runs and the model objects it builds."""

    def __init__(self, client, path):
        built = []

        def count(sender, **kwargs):
            built.append(sender)

        post_init.connect(count)
        try:
            with CaptureQueriesContext(connection) as captured:
                self.response = client.get(path)
        finally:
            post_init.disconnect(count)
        assert self.response.status_code == 200, self.response.content[:300]
        self.statements = [
            normalised(query["sql"]) for query in captured if not TRANSACTION_CONTROL.match(query["sql"])
        ]
        self.built = built
        body = self.response.json()
        self.returned = len(body) if isinstance(body, list) else 1


@pytest.fixture
def world(db):
    staff = make_staff()
    customer = make_customer("mine@example.com")
    branch = make_branch(default_assignee=staff)
    return staff, customer, branch


def add_rows(staff, customer, branch, count):
    """`count` more of everything a list shows: tickets of the customer's with comments, branches, customers."""
    for index in range(count):
        ticket = make_ticket(customer, branch=branch, subject=f"Printer {index}")
        make_comment(ticket, staff)
        make_comment(ticket, customer)
        make_attachment(ticket)
    start = Branch.objects.count()
    Branch.objects.bulk_create(
        [Branch(name=f"Queue {n}", key=branch_key(n)) for n in range(start, start + count)]
    )
    start = Customer.objects.count()
    Customer.objects.bulk_create(
        [
            Customer(email=f"c{n}@example.com", first_name="C", last_name=f"{n}")
            for n in range(start, start + count)
        ]
    )


LISTS = [
    ("staff", "branches"),
    ("staff", "tickets"),
    ("staff", "tickets?subject=printer&sort=updated_at&order=desc"),
    ("staff", "tickets/search?q=printer"),
    ("staff", "comments"),
    ("staff", "users"),
    ("customer", "tickets"),
    ("customer", "tickets/search?q=printer"),
    ("customer", "comments"),
    ("customer", "branches"),
]


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_a_list_runs_the_same_statements_for_1_row_and_25(world, who, path):
    staff, customer, branch = world
    client = client_for(staff if who == "staff" else customer)
    add_rows(staff, customer, branch, 1)
    Cost(client, path)  # the key's first use records its last-used time
    one = Cost(client, path)
    add_rows(staff, customer, branch, 30)
    many = Cost(client, path)
    assert one.returned >= 1 and many.returned == ROWS_AT_MOST
    assert many.statements == one.statements


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_a_list_builds_no_more_objects_than_it_returns_plus_a_constant(world, who, path):
    staff, customer, branch = world
    client = client_for(staff if who == "staff" else customer)
    add_rows(staff, customer, branch, 40)
    Cost(client, path)
    cost = Cost(client, path)
    assert cost.returned == ROWS_AT_MOST
    assert len(cost.built) <= cost.returned + CONSTANT_OBJECTS


def test_a_ticket_builds_its_comments_and_attachments_and_nothing_else(world):
    staff, customer, branch = world
    add_rows(staff, customer, branch, 30)
    ticket = Ticket.objects.order_by("id").first()
    client = client_for(staff)
    Cost(client, f"tickets/{ticket.pk}")
    cost = Cost(client, f"tickets/{ticket.pk}")
    shown = 1 + len(cost.response.json()["comments"]) + len(cost.response.json()["attachments"])
    assert len(cost.built) <= shown + CONSTANT_OBJECTS


def authentication_statements(user, key):
    """(reads, writes) that WSSE authentication runs for one header, transaction control left out."""
    request = Request(APIRequestFactory().get("/", HTTP_X_WSSE=make_header(user.username, key)))
    request.parser_context = {"view": None}
    with CaptureQueriesContext(connection) as captured:
        principal, _ = WSSEAuthentication().authenticate(request)
    assert principal == user
    statements = [query["sql"] for query in captured if not TRANSACTION_CONTROL.match(query["sql"])]
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    return reads, [sql for sql in statements if sql not in reads]


def test_authentication_costs_one_read_and_at_most_one_write(world):
    staff, _, _ = world
    key = staff.api_keys.first().key
    authentication_statements(staff, key)  # records the key's last use, at most once a minute
    reads, writes = authentication_statements(staff, key)
    assert len(reads) == 1
    # The nonce: a row with the database store, nothing in the database with Redis.
    assert len(writes) <= 1
