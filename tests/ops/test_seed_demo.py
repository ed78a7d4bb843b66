"""`manage.py seed_demo`: demo data that works through the API, and a second run that adds nothing."""

import io
import re

import pytest
from django.core.management import call_command

from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import Customer, User
from tests.conftest import CUSTOMER_PREFIX, SignedClient
from tests.factories import stored_key
from wsse_auth.models import ApiKey

pytestmark = pytest.mark.django_db

KEY_LINE = re.compile(r"^[0-9a-f]{40}$", re.MULTILINE)


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count() for model in (User, Customer, Branch, Ticket, Comment, ApiKey)
    }


def test_seed_creates_demo_data_numbered_like_the_api():
    output = seed()
    assert counts() == {"User": 1, "Customer": 1, "Branch": 2, "Ticket": 5, "Comment": 5, "ApiKey": 2}
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    password = re.search(r"password: (\S+)\)", output)[1]
    assert admin.check_password(password)
    assert sorted(Ticket.objects.values_list("key", flat=True)) == [
        "SALE-1",
        "SALE-2",
        "SUPP-1",
        "SUPP-2",
        "SUPP-3",
    ]
    assert dict(Branch.objects.values_list("key", "last_ticket_number")) == {"SUPP": 3, "SALE": 2}
    assert Comment.objects.filter(private=True).count() == 1
    assert 'wsse_header admin)" http://127.0.0.1:8000/api/rest/latest/desk/tickets' in output
    assert "wsse_header --customer customer@example.com" in output


def test_printed_keys_sign_requests_on_their_mounts():
    keys = KEY_LINE.findall(seed())
    assert len(keys) == 2
    staff = SignedClient("admin", keys[0])
    response = staff.get("tickets")
    assert response.status_code == 200, response.content
    assert response["X-Total"] == "5"
    customer = SignedClient("customer@example.com", keys[1], prefix=CUSTOMER_PREFIX)
    response = customer.get("tickets")
    assert response.status_code == 200, response.content
    # A customer sees the tickets they reported, and only those.
    assert response["X-Total"] == "3"


def test_a_second_run_adds_nothing_and_keeps_the_password():
    seed("--password", "first-pass-123")
    before = counts()
    numbers = dict(Branch.objects.values_list("key", "last_ticket_number"))
    output = seed()
    assert counts() == before
    assert dict(Branch.objects.values_list("key", "last_ticket_number")) == numbers
    assert User.objects.get(username="admin").check_password("first-pass-123")
    assert "Tickets: 0 created, 5 already there." in output
    # Keys are shown once, when made; the wsse_header hint still works with the stored one.
    assert not KEY_LINE.search(output)
    header = io.StringIO()
    call_command("wsse_header", "admin", stdout=header)
    assert header.getvalue().startswith("X-WSSE: UsernameToken ")


def test_a_given_password_resets_the_existing_admin():
    seed()
    seed("--password", "second-pass-456")
    assert User.objects.get(username="admin").check_password("second-pass-456")
    assert User.objects.count() == 1


def test_a_revoked_demo_key_is_replaced_on_the_next_run():
    seed()
    ApiKey.objects.filter(customer__isnull=False).update(revoked_at="2026-01-01T00:00:00Z")
    keys = KEY_LINE.findall(seed())
    assert len(keys) == 1
    assert stored_key(keys[0]).customer.email == "customer@example.com"


def test_generated_tickets_are_topped_up_with_valid_keys_numbers_and_counts():
    output = seed("--tickets", "300", "--comments-per-ticket", "2", "--customers", "20", "--branches", "3")
    assert "tickets_ticket" in output  # the progress bar's line
    generated = Ticket.objects.filter(branch__key__startswith="DEP")
    assert generated.count() == 300
    assert Comment.objects.filter(ticket__in=generated).count() == 600
    for branch in Branch.objects.filter(key__startswith="DEP"):
        numbers = sorted(branch.tickets.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert branch.last_ticket_number == len(numbers)
        assert set(branch.tickets.values_list("key", flat=True)) == {f"{branch.key}-{n}" for n in numbers}
    # The ticket list's X-Total comes from the kept counts: they must agree with a scan.
    assert Ticket.objects.count() == Ticket.objects.filter(pk__gte=0).count() == 305
    assert generated.filter(subject__icontains="refund").exists()
    assert 0 < generated.filter(subject__icontains="refund").count() < 100
    seed("--tickets", "300", "--customers", "20", "--branches", "3")
    assert generated.count() == 300
    # New tickets made by the API afterwards continue the numbering.
    admin = User.objects.get(username="admin")
    key = ApiKey.objects.filter(user=admin).first().key
    branch = Branch.objects.get(key="DEPA")
    body = {
        "branch": branch.pk,
        "subject": "After",
        "description": "x",
        "status": "new",
        "priority": "low",
        "source": "web",
        "reporter": f"oro_{admin.pk}",
    }
    response = SignedClient("admin", key).post("tickets", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["key"] == f"DEPA-{branch.last_ticket_number + 1}"
