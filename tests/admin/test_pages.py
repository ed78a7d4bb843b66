"""Every admin page renders for every project model, at a fixed query cost, with useful search."""

import pytest
from django.contrib import admin

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket, TicketKeyHistory
from desk.users.models import Customer, User
from tests.admin.helpers import PROJECT_MODELS, admin_url, changelist_queries, populate
from wsse_auth.models import ApiKey, Nonce

pytestmark = pytest.mark.django_db


class TestPages:
    def test_every_project_model_is_registered(self):
        registered = set(admin.site._registry)
        for model in PROJECT_MODELS:
            assert model in registered, model

    @pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
    def test_changelist_search_change_and_add_pages_render(self, admin_client_logged_in, model):
        populate(1, "A")
        assert changelist_queries(admin_client_logged_in, model) > 0
        assert admin_client_logged_in.get(admin_url(model, "changelist") + "?q=x").status_code == 200
        row = model.objects.first()
        assert admin_client_logged_in.get(admin_url(model, "change", row.pk)).status_code == 200
        add = admin_client_logged_in.get(admin_url(model, "add"))
        assert add.status_code == (403 if model in (Attachment, Nonce, TicketKeyHistory) else 200)

    @pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
    def test_every_filter_choice_renders_and_narrows(self, admin_client_logged_in, model):
        populate(2, "A")
        changelist = admin_client_logged_in.get(admin_url(model, "changelist"))
        total = changelist.context["cl"].result_count
        filters = changelist.context["cl"].filter_specs
        assert filters, f"{model._meta.label} has no filters"
        for spec in filters:
            for choice in spec.choices(changelist.context["cl"]):
                response = admin_client_logged_in.get(admin_url(model, "changelist") + choice["query_string"])
                assert response.status_code == 200, (spec.title, choice["display"])
                assert response.context["cl"].result_count <= total

    @pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
    def test_changelist_queries_do_not_grow_with_rows(self, admin_client_logged_in, model):
        populate(1, "A")
        few = changelist_queries(admin_client_logged_in, model)
        populate(6, "B")
        assert changelist_queries(admin_client_logged_in, model) == few

    @pytest.mark.parametrize(
        ("model", "query", "expected"),
        [
            (Ticket, "Subject AB", 1),
            (Ticket, "AA@example.com", 1),
            (Comment, "staffAB", 1),
            (Branch, "KAA", 1),
            (Customer, "AB@example", 1),
            (User, "staffAA", 1),
            (Attachment, "KAB-1", 2),
            (ApiKey, "staffAA", 1),
            (TicketKeyHistory, "OLDAB", 1),
        ],
    )
    def test_search_finds_by_useful_fields(self, admin_client_logged_in, model, query, expected):
        populate(2, "A")
        response = admin_client_logged_in.get(admin_url(model, "changelist"), {"q": query})
        assert response.context["cl"].result_count == expected
