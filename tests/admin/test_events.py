"""Admin writes are events too, with the admin user as the actor."""

import pytest

from desk.branches.models import Branch
from desk.events.models import Event
from tests.admin.helpers import admin_url
from tests.factories import make_branch

pytestmark = pytest.mark.django_db


def test_a_branch_saved_changed_and_deleted_in_the_admin(admin_client_logged_in, root):
    add = admin_url(Branch, "add")
    assert (
        admin_client_logged_in.post(add, {"name": "Front", "key": "FRONT", "tags": "[]"}).status_code == 302
    )
    branch = Branch.objects.get()
    change = admin_url(Branch, "change", branch.pk)
    body = {"name": "Front desk", "key": "FRONT", "tags": "[]"}
    assert admin_client_logged_in.post(change, body).status_code == 302
    delete = admin_url(Branch, "delete", branch.pk)
    assert admin_client_logged_in.post(delete, {"post": "yes"}).status_code == 302
    events = list(Event.objects.values_list("type", "actor", "entity_id"))
    assert events == [
        (kind, f"oro_{root.pk}", branch.pk) for kind in ("branch.created", "branch.updated", "branch.deleted")
    ]
    assert Event.objects.last().data == {"id": branch.pk, "key": "FRONT"}


def test_a_bulk_delete_is_one_event_per_row(admin_client_logged_in):
    branches = [make_branch("Alpha", key="ALPHA"), make_branch("Beta", key="BETA")]
    body = {"action": "delete_selected", "_selected_action": [b.pk for b in branches], "post": "yes"}
    assert admin_client_logged_in.post(admin_url(Branch, "changelist"), body).status_code == 302
    assert list(Event.objects.values_list("type", "entity_id")) == [
        ("branch.deleted", b.pk) for b in branches
    ]
