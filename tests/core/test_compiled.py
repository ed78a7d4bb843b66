"""A queryset compiled once gives the rows the ORM gives, for every value, LIKE's special characters too."""

from datetime import datetime

import pytest

from desk.core.compiled import CompiledQuery
from desk.users.models import Customer
from tests.factories import make_customer
from wsse_auth.authentication import KeyRows

pytestmark = pytest.mark.django_db

EMAILS = ["a_b@example.com", "axb@example.com", "A%B@example.com", "a\\b@example.com", "Zoë@example.com"]


def by_email(email):
    return (
        Customer.objects.filter(email__iexact=email).order_by("id").values_list("id", "email", "created_at")
    )


@pytest.fixture
def customers():
    return [make_customer(email) for email in EMAILS]


@pytest.mark.parametrize(
    "asked",
    [
        "a_b@example.com",
        "A_B@EXAMPLE.COM",
        "a%b@example.com",
        "a\\b@example.com",
        "a?b@example.com",
        "ZOË@example.com",
    ],
)
def test_the_rows_are_the_orms_for_every_value(customers, asked):
    compiled = CompiledQuery(by_email)
    assert compiled.rows("someone@example.com") == []
    assert compiled.rows(asked) == [list(row) for row in by_email(asked)]


def test_special_characters_match_only_themselves(customers):
    compiled = CompiledQuery(by_email)
    assert [row[1] for row in compiled.rows("a_b@example.com")] == ["a_b@example.com"]
    assert [row[1] for row in compiled.rows("a%b@example.com")] == ["A%B@example.com"]


def test_columns_are_converted_as_values_list_converts_them(customers):
    (row,) = CompiledQuery(by_email).rows("axb@example.com")
    assert isinstance(row[2], datetime) and row[2].tzinfo is not None
    # The encrypted key column comes back decrypted, as the authentication compares it.
    customer = customers[1]
    assert KeyRows("customer", customer.email.upper()).candidates() == [
        (customer.api_keys.get().pk, customer.api_keys.get().key)
    ]


def test_the_queryset_is_built_once():
    built = []

    def build(email):
        built.append(email)
        return by_email(email)

    compiled = CompiledQuery(build)
    for email in EMAILS:
        compiled.rows(email)
    assert len(built) == 1


def test_a_value_the_lookup_reshapes_unknowingly_is_refused():
    # `icontains` wraps the value in wildcards: no recipe reproduces that, so compiling says so.
    compiled = CompiledQuery(lambda email: Customer.objects.filter(email__icontains=email).values_list("id"))
    with pytest.raises(ValueError, match="unknown form"):
        compiled.rows("a")
