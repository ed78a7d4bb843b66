"""Branches in the admin: keys made from names, immutable, one default branch at most."""

import pytest

from desk.branches.models import Branch
from tests.admin.helpers import admin_url, errors_of, form_data
from tests.factories import make_branch, make_ticket

pytestmark = pytest.mark.django_db


class TestBranches:
    def test_one_branch_is_marked_default_and_a_second_is_refused(self, admin_client_logged_in):
        add = admin_url(Branch, "add")
        body = {"name": "Front", "key": "FRONT", "tags": "[]", "is_default": "on"}
        assert admin_client_logged_in.post(add, body).status_code == 302
        response = admin_client_logged_in.post(add, {**body, "name": "Back", "key": "BACK"})
        assert errors_of(response) == {
            "__all__": ["Another branch is already the default branch; unmark it first."]
        }
        assert Branch.objects.default().key == "FRONT"

    def test_a_blank_key_is_made_from_the_name(self, admin_client_logged_in):
        response = admin_client_logged_in.post(
            admin_url(Branch, "add"), {"name": "Test Branch", "tags": "[]"}
        )
        assert response.status_code == 302
        assert Branch.objects.get().key == "TB"

    def test_a_given_key_is_upper_cased(self, admin_client_logged_in):
        admin_client_logged_in.post(
            admin_url(Branch, "add"), {"name": "Ёлка", "key": "ёлка", "tags": '["a"]'}
        )
        branch = Branch.objects.get()
        assert (branch.key, branch.tags) == ("ЁЛКА", ["a"])

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            (
                {"name": "1 2 3"},
                {"__all__": ["Can not generate key from given name. Name should have at least 2 letters."]},
            ),
            ({"name": "Other", "key": "supp"}, {"key": ["Branch with this Key already exists."]}),
            (
                {"name": "Other", "key": "A1"},
                {"key": ["Branch key should contain only 2 to 32 letters (Latin or Cyrillic)."]},
            ),
            ({"name": "Other", "tags": '"x"'}, {"tags": ["Tags should be a list of strings."]}),
        ],
    )
    def test_bad_branches_are_refused_with_the_rule_that_failed(self, admin_client_logged_in, body, errors):
        make_branch()
        response = admin_client_logged_in.post(admin_url(Branch, "add"), {"tags": "[]", **body})
        assert errors_of(response) == errors
        assert Branch.objects.count() == 1

    def test_the_key_cannot_be_changed(self, admin_client_logged_in):
        branch = make_branch()
        url = admin_url(Branch, "change", branch.pk)
        body = form_data(admin_client_logged_in.get(url))
        assert "key" not in body
        body.update(key="OTHER", name="Renamed")
        assert admin_client_logged_in.post(url, body).status_code == 302
        branch.refresh_from_db()
        assert (branch.key, branch.name) == ("SUPP", "Renamed")

    def test_the_list_counts_tickets(self, admin_client_logged_in, root):
        branch = make_branch()
        make_ticket(root, branch)
        make_ticket(root, branch)
        response = admin_client_logged_in.get(admin_url(Branch, "changelist"))
        assert response.context["cl"].result_list[0].ticket_total == 2
