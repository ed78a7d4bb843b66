"""The one-person rule lives in `Model.clean()`: a reporter, an author, a key owner is one person."""

import pytest
from django.core.exceptions import ValidationError

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from desk.users.models import Customer
from tests.factories import make_branch, make_customer, make_staff, make_ticket
from wsse_auth.models import ApiKey

pytestmark = pytest.mark.django_db


def _errors(instance):
    with pytest.raises(ValidationError) as caught:
        instance.clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("model", "user", "customer", "none", "both"),
    [
        (
            Ticket,
            "reporter_user",
            "reporter_customer",
            "A ticket needs a reporter: a staff user or a customer.",
            "Choose a staff user or a customer as reporter, not both.",
        ),
        (
            Comment,
            "author_user",
            "author_customer",
            "A comment needs an author: a staff user or a customer.",
            "Choose a staff user or a customer as author, not both.",
        ),
        (
            ApiKey,
            "user",
            "customer",
            "Choose the staff user or the customer the key is for.",
            "Choose a staff user or a customer, not both.",
        ),
    ],
)
def test_none_or_both_people_is_an_error_on_a_column(model, user, customer, none, both):
    staff, person = make_staff(), make_customer()
    assert _errors(model()) == {user: [none]}
    assert _errors(model(**{user: staff, customer: person})) == {customer: [both]}
    model(**{user: staff}).clean()
    model(**{customer: person}).clean()


def test_a_person_not_saved_yet_counts():
    # A customer added in the admin together with its first key.
    ApiKey(customer=Customer(email="new@example.com")).clean()


@pytest.mark.parametrize("author", ["staff", "customer"])
def test_the_api_assigns_its_people_before_the_rule_runs(api, customer_api, customer, author):
    ticket = make_ticket(customer, make_branch())
    if author == "staff":
        agent = make_staff("agent")
        body = {"ticket": ticket.pk, "author": f"oro_{agent.pk}", "content": "Hello"}
        response = api.post("comments", body, format="json")
    else:
        agent = customer
        response = customer_api.post("comments", {"ticket": ticket.pk, "content": "Hello"}, format="json")
    assert response.status_code == 201, response.content
    assert Comment.objects.get().author == agent
