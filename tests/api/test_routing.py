"""Routes, ids in bodies and id filters take ASCII digits only: `１` (fullwidth) or `١` (Arabic-Indic) is no 1."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import client_for
from tests.factories import make_branch, make_comment, make_ticket

pytestmark = pytest.mark.django_db

FULLWIDTH_ONE = "\uff11"
ARABIC_INDIC_ONE = "\u0661"


def all_patterns(patterns=None):
    """Every regex of the URL configuration, included ones too."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        yield entry.pattern.regex.pattern
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry.url_patterns)
        else:
            assert isinstance(entry, URLPattern)


def test_no_route_pattern_uses_unicode_digits():
    patterns = list(all_patterns())
    assert any("[0-9]" in pattern for pattern in patterns)
    assert not [pattern for pattern in patterns if r"\d" in pattern]


def spelled(number, zero):
    """The number in the digits of another script, starting at its zero (`０`, `٠`)."""
    return str(number).translate({ord("0") + digit: chr(ord(zero) + digit) for digit in range(10)})


@pytest.mark.parametrize("zero", ["\uff10", "\u0660"])
def test_non_ascii_digits_name_no_entity(api, admin_user, customer, zero):
    ticket = make_ticket(admin_user)
    comment = make_comment(ticket, admin_user)
    for path in [
        f"tickets/{spelled(ticket.pk, zero)}",
        f"tickets/SUPP-{spelled(ticket.number, zero)}",
        f"branches/{spelled(ticket.branch.pk, zero)}",
        f"comments/{spelled(comment.pk, zero)}",
        f"tickets/{spelled(ticket.pk, zero)}/attachments",
        f"comments/{spelled(comment.pk, zero)}/attachments",
        f"ticket/{spelled(ticket.pk, zero)}/reporter",
        f"comment/{spelled(comment.pk, zero)}/author",
        f"users/{spelled(customer.pk, zero)}",
    ]:
        # Each of these names an entity that exists, when spelled in ASCII digits.
        assert api.get(path.translate({ord(zero) + d: ord("0") + d for d in range(10)})).status_code == 200, (
            path
        )
        response = api.get(path)
        assert response.status_code == 404, (path, response.content[:200])
    assert client_for(customer).get(f"branches/{spelled(ticket.branch.pk, zero)}").status_code == 404


@pytest.mark.parametrize("one", [FULLWIDTH_ONE, ARABIC_INDIC_ONE])
def test_non_ascii_digits_in_bodies_and_filters_are_400(api, admin_user, one):
    ticket = make_ticket(admin_user, branch=make_branch())
    body = {"content": "c", "ticket": one, "author": admin_user.person_id}
    created = api.post("comments", body, format="json")
    assert created.status_code == 400
    assert created.json()["errors"] == {"ticket": ["Should be a ticket id."]}
    assert (
        api.post("comments", {**body, "ticket": ticket.pk, "author": f"oro_{one}"}, format="json").status_code
        == 400
    )
    for query in [f"ticket={one}", f"author=oro_{one}", "createdAfter=２０１５-01-01"]:
        assert api.get(f"comments?{query}").status_code == 400, query
    assert api.get(f"tickets?branch={one}").status_code == 400
    assert api.get(f"tickets?assignee={one}").status_code == 400
