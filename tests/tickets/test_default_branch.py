"""A default branch: where a ticket created without `branch` goes, marked in the admin or set by a setting."""

import pytest
from django.core.exceptions import ValidationError

from desk.branches.models import Branch
from tests.factories import make_staff
from tests.tickets.factories import make_branch, ticket_body

pytestmark = pytest.mark.django_db


def without_branch(reporter, **fields):
    body = ticket_body(make_branch("Unused", key="UNUSED"), reporter, **fields)
    del body["branch"]
    return body


class TestMarkedDefault:
    def test_a_ticket_without_branch_goes_to_the_default_with_its_assignee(self, api, admin_user):
        agent = make_staff("agent", superuser=False)
        default = Branch.objects.create(
            name="Front desk", key="FRONT", is_default=True, default_assignee=agent
        )
        response = api.post("tickets", without_branch(admin_user), format="json")
        assert response.status_code == 201, response.content
        assert (response.json()["branch"], response.json()["key"]) == (default.pk, "FRONT-1")
        assert response.json()["assignee"] == agent.pk

    def test_a_customer_ticket_without_branch_as_the_portal_sends_it(self, customer_api, customer):
        Branch.objects.create(name="Front desk", key="FRONT", is_default=True)
        body = without_branch(customer)
        del body["reporter"]
        response = customer_api.post("tickets", body, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["key"] == "FRONT-1"

    def test_an_empty_branch_from_a_form_means_none_given(self, api, admin_user):
        Branch.objects.create(name="Front desk", key="FRONT", is_default=True)
        body = without_branch(admin_user, branch="")
        response = api.post("tickets", body, format="json")
        assert response.json()["key"] == "FRONT-1"

    def test_a_named_branch_wins_over_the_default(self, api, admin_user):
        Branch.objects.create(name="Front desk", key="FRONT", is_default=True)
        other = make_branch("Other", key="OTHER")
        response = api.post("tickets", ticket_body(other, admin_user), format="json")
        assert response.json()["key"] == "OTHER-1"

    def test_an_update_without_branch_stays_where_it_is(self, api, admin_user):
        other = make_branch("Other", key="OTHER")
        created = api.post("tickets", ticket_body(other, admin_user), format="json").json()
        Branch.objects.create(name="Front desk", key="FRONT", is_default=True)
        response = api.patch(f"tickets/{created['id']}", {"subject": "Still here"}, format="json")
        assert response.json()["key"] == "OTHER-1"

    def test_at_most_one_branch_is_the_default(self):
        Branch.objects.create(name="Front desk", key="FRONT", is_default=True)
        second = Branch(name="Second", key="SECOND", is_default=True)
        with pytest.raises(ValidationError, match="already the default branch"):
            second.full_clean()


class TestSetting:
    def test_the_setting_names_the_default_by_key(self, api, admin_user, settings):
        make_branch("Front desk", key="FRONT")
        settings.DESK_DEFAULT_BRANCH = "front"
        response = api.post("tickets", without_branch(admin_user), format="json")
        assert response.json()["key"] == "FRONT-1"

    def test_a_marked_branch_wins_over_the_setting(self, api, admin_user, settings):
        make_branch("Front desk", key="FRONT")
        Branch.objects.create(name="Marked", key="MARKED", is_default=True)
        settings.DESK_DEFAULT_BRANCH = "FRONT"
        assert api.post("tickets", without_branch(admin_user), format="json").json()["key"] == "MARKED-1"

    def test_a_setting_naming_no_branch_is_no_default(self, api, admin_user, settings):
        settings.DESK_DEFAULT_BRANCH = "NOSUCH"
        response = api.post("tickets", without_branch(admin_user), format="json")
        assert response.status_code == 400
        assert response.json()["error"] == "branch: This field is required."


def test_without_a_default_a_missing_branch_stays_a_400(api, admin_user):
    response = api.post("tickets", without_branch(admin_user), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"branch": ["This field is required."]}
