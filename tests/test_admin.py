"""The admin end to end through Django's test client: every page, numbering and moves, inlines, files, keys."""

import re
from datetime import timedelta
from string import ascii_uppercase

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from desk.attachments.models import Attachment
from desk.attachments.services import attachments_create
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket, TicketKeyHistory, Watcher
from desk.tickets.services import ticket_create
from desk.users.models import Customer, User
from tests.attachments.factories import image_bytes, item
from tests.factories import make_branch, make_customer, make_staff, make_ticket
from wsse_auth.models import ApiKey, Nonce

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"users", "branches", "tickets", "comments", "attachments", "wsse_auth"}
PROJECT_MODELS = [m for label in sorted(PROJECT_APPS) for m in apps.get_app_config(label).get_models()]
KEY = re.compile(r"\b[0-9a-f]{40}\b")


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def admin_client_logged_in(client, root):
    client.force_login(root)
    return client


def form_data(response):
    """The POST body the page's form sends when submitted unchanged: main form, inlines, management forms."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_on_page:
        for name, field in form.fields.items():
            value, key = form[name].value(), form.add_prefix(name)
            if field.disabled or value is None or value is False:
                continue
            if isinstance(field, forms.SplitDateTimeField):
                data[f"{key}_0"], data[f"{key}_1"] = value.date().isoformat(), value.time().isoformat()
            elif value is True:
                data[key] = "on"
            else:
                data[key] = value
    return data


def populate(count, tag):
    """`count` rows of every project model, named after `tag` so that sets do not collide."""
    for i in range(count):
        name = f"{tag}{ascii_uppercase[i]}"
        staff = make_staff(f"staff{name}", superuser=False)
        customer = make_customer(f"{name}@example.com")
        branch = Branch.objects.create(name=f"Branch {name}", key=f"K{name}", default_assignee=staff)
        ticket = ticket_create(
            branch=branch,
            subject=f"Subject {name}",
            description="Printer on fire",
            status="new",
            priority="low",
            source="web",
            reporter=customer,
        )
        comment = Comment.objects.create(ticket=ticket, author_customer=customer, content="Any news?")
        Comment.objects.create(ticket=ticket, author_user=staff, content="On it.", private=True)
        for owner in ({"ticket": ticket}, {"comment": comment}):
            Attachment.objects.create(
                filename="screen.png",
                file=f"attachments/x/{name}",
                thumbnail=f"thumbnails/x/{name}.png",
                **owner,
            )
        TicketKeyHistory.objects.create(key=f"OLD{name}-1", ticket=ticket)
        Watcher.objects.create(ticket=ticket, user=staff)
        Watcher.objects.create(ticket=ticket, customer=customer)
        Nonce.objects.create(fingerprint=f"{name}-nonce", expires_at=timezone.now() + timedelta(minutes=5))


def changelist_queries(client, model, params=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(model, "changelist") + params)
    assert response.status_code == 200
    return len(captured)


def ticket_add_body(branch, **fields):
    """The add form of a ticket, with no comments."""
    return {
        "branch": branch.pk,
        "subject": "Toner empty",
        "description": "Nothing prints.",
        "status": "open",
        "priority": "high",
        "source": "phone",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        **fields,
    }


def errors_of(response):
    """Field errors of the admin form on a page that did not save."""
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def files_of(*attachments):
    return [name for a in attachments for name in (a.file.name, a.thumbnail.name) if name]


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


class TestTickets:
    def test_a_ticket_added_in_the_admin_is_numbered_by_its_branch(self, admin_client_logged_in, root):
        agent = make_staff("agent", superuser=False)
        branch = make_branch(default_assignee=agent)
        Branch.objects.filter(pk=branch.pk).update(last_ticket_number=7)
        response = admin_client_logged_in.post(
            admin_url(Ticket, "add"), ticket_add_body(branch, reporter_user=root.pk), follow=True
        )
        assert response.status_code == 200
        ticket = Ticket.objects.get()
        assert (ticket.key, ticket.number) == ("SUPP-8", 8)
        assert re.fullmatch(r"[0-9a-f]{32}", ticket.unique_id)
        assert ticket.assignee == agent, "the branch's default assignee takes a ticket without one"
        assert (ticket.status, ticket.priority, ticket.source) == ("open", "high", "phone")
        assert Branch.objects.get(pk=branch.pk).last_ticket_number == 8
        assert "SUPP-8" in response.content.decode()

    def test_numbers_are_not_reused_after_a_delete(self, admin_client_logged_in, root):
        branch = make_branch()
        url = admin_url(Ticket, "add")
        admin_client_logged_in.post(url, ticket_add_body(branch, reporter_user=root.pk))
        Ticket.objects.get().delete()
        admin_client_logged_in.post(url, ticket_add_body(branch, reporter_user=root.pk))
        assert Ticket.objects.get().key == "SUPP-2"

    def test_a_ticket_added_with_a_comment_has_the_admin_as_author(self, admin_client_logged_in, root):
        customer = make_customer()
        branch = make_branch()
        body = ticket_add_body(
            branch,
            reporter_customer=customer.pk,
            **{"comments-TOTAL_FORMS": "1", "comments-0-content": "We are looking into it."},
        )
        admin_client_logged_in.post(admin_url(Ticket, "add"), body)
        ticket = Ticket.objects.get()
        assert ticket.reporter == customer
        comment = ticket.comments.get()
        assert (comment.author, comment.content, comment.private) == (root, "We are looking into it.", False)

    @pytest.mark.parametrize(
        ("people", "field", "message"),
        [
            ({}, "reporter_user", "A ticket needs a reporter: a staff user or a customer."),
            ("both", "reporter_customer", "Choose a staff user or a customer as reporter, not both."),
        ],
    )
    def test_a_ticket_needs_exactly_one_reporter(self, admin_client_logged_in, root, people, field, message):
        if people == "both":
            people = {"reporter_user": root.pk, "reporter_customer": make_customer().pk}
        response = admin_client_logged_in.post(
            admin_url(Ticket, "add"), ticket_add_body(make_branch(), **people)
        )
        assert errors_of(response) == {field: [message]}
        assert not Ticket.objects.exists()
        assert Branch.objects.get().last_ticket_number == 0, "a refused ticket takes no number"

    def test_an_inactive_reporter_is_refused(self, admin_client_logged_in):
        gone = make_staff("gone", superuser=False, is_active=False)
        response = admin_client_logged_in.post(
            admin_url(Ticket, "add"), ticket_add_body(make_branch(), reporter_user=gone.pk)
        )
        assert list(errors_of(response)) == ["reporter_user"]

    def test_moving_a_ticket_gives_it_a_new_key_and_keeps_the_old_one(self, admin_client_logged_in, root):
        ticket = make_ticket(root, make_branch())
        other = make_branch("Sales", "SALE", last_ticket_number=0)
        make_ticket(root, other)
        url = admin_url(Ticket, "change", ticket.pk)
        body = form_data(admin_client_logged_in.get(url))
        body.update(branch=other.pk, subject="Moved along")
        response = admin_client_logged_in.post(url, body)
        assert response.status_code == 302
        ticket.refresh_from_db()
        assert (ticket.branch, ticket.key, ticket.number, ticket.subject) == (
            other,
            "SALE-2",
            2,
            "Moved along",
        )
        assert TicketKeyHistory.objects.get().key == "SUPP-1"
        redirect = admin_client_logged_in.get(response["Location"])
        assert "SALE-2" in redirect.content.decode()

    def test_a_change_in_place_keeps_the_key_and_moves_updated_at(self, admin_client_logged_in, root):
        ticket = make_ticket(root, make_branch())
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now() - timedelta(days=1))
        url = admin_url(Ticket, "change", ticket.pk)
        body = form_data(admin_client_logged_in.get(url))
        body.update(subject="New subject", status="in_progress")
        assert admin_client_logged_in.post(url, body).status_code == 302
        before = ticket.updated_at
        ticket.refresh_from_db()
        assert (ticket.subject, ticket.status, ticket.key) == ("New subject", "in_progress", "SUPP-1")
        assert ticket.updated_at >= before
        assert not TicketKeyHistory.objects.exists()

    def test_change_page_shows_comments_and_attachments_with_thumbnails(self, admin_client_logged_in, root):
        customer = make_customer()
        ticket = make_ticket(customer, make_branch())
        comment = Comment.objects.create(ticket=ticket, author_customer=customer, content="Photo attached")
        on_ticket = attachments_create(
            inputs=[item("photo.png", image_bytes()), item("notes.txt", b"text")], ticket=ticket
        )
        on_comment = attachments_create(
            inputs=[item("smoke.jpg", image_bytes(format="JPEG"))], comment=comment
        )
        page = admin_client_logged_in.get(admin_url(Ticket, "change", ticket.pk)).content.decode()
        for attachment in [on_ticket[0], on_comment[0]]:
            thumbnail = reverse("attachment-thumbnail", kwargs={"hash": attachment.hash})
            assert f'<img src="{thumbnail}" alt="{attachment.filename}"' in page
        for attachment in [*on_ticket, *on_comment]:
            assert f'href="{reverse("attachment-file", kwargs={"hash": attachment.hash})}"' in page
        assert reverse("attachment-thumbnail", kwargs={"hash": on_ticket[1].hash}) not in page
        assert "Photo attached" in page
        assert escape(f"{customer} (customer)") in page
        thumbnail = admin_client_logged_in.get(
            reverse("attachment-thumbnail", kwargs={"hash": on_ticket[0].hash})
        )
        assert (thumbnail.status_code, thumbnail["Content-Type"]) == (200, "image/png")

    def test_change_page_queries_do_not_grow_with_comments_and_attachments(
        self, admin_client_logged_in, root
    ):
        customer = make_customer()
        ticket = make_ticket(customer, make_branch())
        url = admin_url(Ticket, "change", ticket.pk)

        def add_comments(count):
            for _ in range(count):
                comment = Comment.objects.create(ticket=ticket, author_customer=customer, content="More")
                Attachment.objects.create(comment=comment, filename="a.png", file="a/b", thumbnail="t/b.png")
                Attachment.objects.create(ticket=ticket, filename="b.png", file="a/c", thumbnail="t/c.png")

        add_comments(1)
        with CaptureQueriesContext(connection) as few:
            assert admin_client_logged_in.get(url).status_code == 200
        add_comments(8)
        with CaptureQueriesContext(connection) as many:
            assert admin_client_logged_in.get(url).status_code == 200
        assert len(many) == len(few)

    def test_deleting_a_ticket_removes_its_files_and_its_comments_files(
        self, admin_client_logged_in, root, django_capture_on_commit_callbacks
    ):
        ticket = make_ticket(root, make_branch())
        comment = Comment.objects.create(ticket=ticket, author_user=root, content="See attached")
        doomed = [
            *attachments_create(inputs=[item("a.png", image_bytes())], ticket=ticket),
            *attachments_create(inputs=[item("b.png", image_bytes())], comment=comment),
        ]
        kept = attachments_create(
            inputs=[item("c.png", image_bytes())], ticket=make_ticket(root, ticket.branch)
        )
        assert all(default_storage.exists(name) for name in files_of(*doomed, *kept))
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_logged_in.post(admin_url(Ticket, "delete", ticket.pk), {"post": "yes"})
        assert response.status_code == 302
        assert len(files_of(*doomed)) == 4
        assert not any(default_storage.exists(name) for name in files_of(*doomed))
        assert all(default_storage.exists(name) for name in files_of(*kept))

    def test_deleting_tickets_with_the_list_action_removes_their_files(
        self, admin_client_logged_in, root, django_capture_on_commit_callbacks
    ):
        branch = make_branch()
        tickets = [make_ticket(root, branch), make_ticket(root, branch)]
        doomed = [
            a for t in tickets for a in attachments_create(inputs=[item("a.png", image_bytes())], ticket=t)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            admin_client_logged_in.post(
                admin_url(Ticket, "changelist"),
                {"action": "delete_selected", "_selected_action": [t.pk for t in tickets], "post": "yes"},
            )
        assert not Ticket.objects.exists()
        assert not any(default_storage.exists(name) for name in files_of(*doomed))

    def test_deleting_an_attachment_inline_removes_its_files(
        self, admin_client_logged_in, root, django_capture_on_commit_callbacks
    ):
        ticket = make_ticket(root, make_branch())
        doomed, kept = attachments_create(
            inputs=[item("a.png", image_bytes()), item("b.png", image_bytes())], ticket=ticket
        )
        url = admin_url(Ticket, "change", ticket.pk)
        body = form_data(admin_client_logged_in.get(url))
        assert body["attachments-0-id"] == doomed.pk
        body["attachments-0-DELETE"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            assert admin_client_logged_in.post(url, body).status_code == 302
        assert list(ticket.attachments.all()) == [kept]
        assert not any(default_storage.exists(name) for name in files_of(doomed))
        assert all(default_storage.exists(name) for name in files_of(kept))

    def test_attachments_are_read_only_in_the_admin(self, admin_client_logged_in, root):
        ticket = make_ticket(root, make_branch())
        (attachment,) = attachments_create(inputs=[item("a.png", image_bytes())], ticket=ticket)
        url = admin_url(Attachment, "change", attachment.pk)
        page = admin_client_logged_in.get(url)
        assert page.status_code == 200
        assert admin_client_logged_in.post(url, {"filename": "evil.exe"}).status_code == 403
        attachment.refresh_from_db()
        assert attachment.filename == "a.png"


class TestComments:
    def test_a_comment_added_without_author_is_the_admins(self, admin_client_logged_in, root):
        ticket = make_ticket(make_customer(), make_branch())
        response = admin_client_logged_in.post(
            admin_url(Comment, "add"), {"ticket": ticket.pk, "content": "Noted.", "private": "on"}
        )
        assert response.status_code == 302
        comment = Comment.objects.get()
        assert (comment.author, comment.private) == (root, True)

    def test_a_comment_can_be_added_for_a_customer(self, admin_client_logged_in):
        customer = make_customer()
        ticket = make_ticket(customer, make_branch())
        admin_client_logged_in.post(
            admin_url(Comment, "add"), {"ticket": ticket.pk, "author_customer": customer.pk, "content": "Hi"}
        )
        assert Comment.objects.get().author == customer

    def test_a_comment_has_one_author(self, admin_client_logged_in, root):
        customer = make_customer()
        ticket = make_ticket(customer, make_branch())
        response = admin_client_logged_in.post(
            admin_url(Comment, "add"),
            {"ticket": ticket.pk, "author_user": root.pk, "author_customer": customer.pk, "content": "Hi"},
        )
        assert errors_of(response) == {
            "author_customer": ["Choose a staff user or a customer as author, not both."]
        }

    def test_an_existing_comment_keeps_its_ticket_and_author(self, admin_client_logged_in, root):
        customer = make_customer()
        ticket = make_ticket(customer, make_branch())
        other = make_ticket(customer, ticket.branch)
        comment = Comment.objects.create(ticket=ticket, author_customer=customer, content="Old")
        url = admin_url(Comment, "change", comment.pk)
        response = admin_client_logged_in.post(
            url,
            {
                "ticket": other.pk,
                "author_user": root.pk,
                "content": "New",
                "attachments-TOTAL_FORMS": "0",
                "attachments-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        comment.refresh_from_db()
        assert (comment.ticket, comment.author, comment.content) == (ticket, customer, "New")

    def test_deleting_a_comment_removes_its_files(
        self, admin_client_logged_in, root, django_capture_on_commit_callbacks
    ):
        ticket = make_ticket(root, make_branch())
        comment = Comment.objects.create(ticket=ticket, author_user=root, content="See attached")
        doomed = attachments_create(inputs=[item("a.png", image_bytes())], comment=comment)
        with django_capture_on_commit_callbacks(execute=True):
            admin_client_logged_in.post(admin_url(Comment, "delete", comment.pk), {"post": "yes"})
        assert not Comment.objects.exists()
        assert not any(default_storage.exists(name) for name in files_of(*doomed))


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


class TestApiKeys:
    def test_a_key_added_on_a_users_page_is_shown_once(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        url = admin_url(User, "change", agent.pk)
        body = form_data(admin_client_logged_in.get(url))
        assert body["api_keys-TOTAL_FORMS"] == 1
        body.update({"api_keys-TOTAL_FORMS": 2, "api_keys-1-label": "shop", "_continue": "1"})
        response = admin_client_logged_in.post(url, body, follow=True)
        new_key = ApiKey.objects.get(user=agent, label="shop")
        shown = KEY.findall(response.content.decode())
        assert shown == [new_key.key]
        assert f"New API key for agent: {new_key.key} (shown once, copy it now)" in response.content.decode()
        assert not KEY.findall(admin_client_logged_in.get(url).content.decode())

    def test_a_row_added_without_a_label_still_makes_a_key(self, admin_client_logged_in):
        customer = make_customer()
        url = admin_url(Customer, "change", customer.pk)
        body = form_data(admin_client_logged_in.get(url))
        body["api_keys-TOTAL_FORMS"] = 2
        response = admin_client_logged_in.post(url, body, follow=True)
        assert customer.api_keys.count() == 2
        assert customer.api_keys.first().key in response.content.decode()

    def test_a_customer_can_be_added_with_a_key(self, admin_client_logged_in):
        body = {
            "email": "new@example.com",
            "first_name": "New",
            "last_name": "Customer",
            "is_active": "on",
            "api_keys-TOTAL_FORMS": "1",
            "api_keys-INITIAL_FORMS": "0",
            "api_keys-0-label": "portal",
        }
        response = admin_client_logged_in.post(admin_url(Customer, "add"), body, follow=True)
        api_key = ApiKey.objects.get(customer__email="new@example.com")
        assert api_key.label == "portal"
        assert api_key.key in response.content.decode()

    def test_ticking_revoke_on_an_owners_page_revokes_the_key(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        kept = ApiKey.objects.create(user=agent, label="kept")
        url = admin_url(User, "change", agent.pk)
        body = form_data(admin_client_logged_in.get(url))
        revoked_row = next(k for k, v in body.items() if k.endswith("-id") and v != kept.pk)
        body[revoked_row.replace("-id", "-revoke")] = "on"
        assert admin_client_logged_in.post(url, body).status_code == 302
        keys = {k.label: k.revoked_at for k in agent.api_keys.all()}
        assert keys["kept"] is None
        assert keys[""] is not None

    def test_a_revoked_key_stays_revoked(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        api_key = agent.api_keys.get()
        api_key.revoked_at = timezone.now() - timedelta(days=1)
        api_key.save()
        url = admin_url(ApiKey, "change", api_key.pk)
        response = admin_client_logged_in.post(url, {"label": "again", "revoked_at": "", "revoke": ""})
        assert response.status_code == 302
        api_key.refresh_from_db()
        assert (api_key.label, api_key.revoked_at is not None) == ("again", True)

    def test_revoke_on_the_keys_page(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        api_key = agent.api_keys.get()
        admin_client_logged_in.post(admin_url(ApiKey, "change", api_key.pk), {"label": "x", "revoke": "on"})
        api_key.refresh_from_db()
        assert api_key.revoked_at is not None

    def test_a_key_added_in_the_key_list_is_shown_once_and_can_be_revoked(self, admin_client_logged_in):
        agent = User.objects.create_user("agent", "agent@example.com", "pw")
        response = admin_client_logged_in.post(
            admin_url(ApiKey, "add"), {"user": agent.pk, "label": "shop"}, follow=True
        )
        api_key = ApiKey.objects.get(user=agent)
        assert api_key.key in response.content.decode()
        page = admin_client_logged_in.get(admin_url(ApiKey, "change", api_key.pk))
        assert api_key.key not in page.content.decode()
        response = admin_client_logged_in.post(
            admin_url(ApiKey, "changelist"),
            {"action": "revoke_keys", "_selected_action": [api_key.pk]},
            follow=True,
        )
        api_key.refresh_from_db()
        assert api_key.revoked_at is not None
        assert "Revoked 1 key(s)." in response.content.decode()

    @pytest.mark.parametrize(
        ("owners", "errors"),
        [
            ("none", {"user": ["Choose the staff user or the customer the key is for."]}),
            ("both", {"customer": ["Choose a staff user or a customer, not both."]}),
        ],
    )
    def test_a_key_has_one_owner(self, admin_client_logged_in, root, owners, errors):
        body = {"label": "x"}
        if owners == "both":
            body.update(user=root.pk, customer=make_customer().pk)
        response = admin_client_logged_in.post(admin_url(ApiKey, "add"), body)
        assert errors_of(response) == errors
        assert not ApiKey.objects.filter(label="x").exists()

    @pytest.mark.parametrize("model", [User, Customer])
    def test_generate_key_action(self, admin_client_logged_in, model):
        owner = make_staff("agent", superuser=False) if model is User else make_customer()
        response = admin_client_logged_in.post(
            admin_url(model, "changelist"),
            {"action": "generate_api_key", "_selected_action": [owner.pk]},
            follow=True,
        )
        newest = owner.api_keys.get(label="admin")
        assert KEY.findall(response.content.decode()) == [newest.key]

    def test_the_key_list_counts_active_keys(self, admin_client_logged_in):
        agent = make_staff("agent", superuser=False)
        ApiKey.objects.create(user=agent, revoked_at=timezone.now())
        ApiKey.objects.create(user=agent)
        response = admin_client_logged_in.get(admin_url(User, "changelist"), {"q": "agent"})
        assert response.context["cl"].result_list[0].active_key_count == 2


class TestPeople:
    def test_customer_emails_are_unique_in_any_case(self, admin_client_logged_in):
        make_customer("carla@example.com")
        body = {
            "email": "Carla@Example.com",
            "first_name": "C",
            "last_name": "D",
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
        }
        response = admin_client_logged_in.post(admin_url(Customer, "add"), body)
        assert errors_of(response) == {"email": ["A customer with this email already exists."]}

    def test_staff_emails_are_unique_in_any_case(self, admin_client_logged_in):
        make_staff("first", email="same@example.com")
        second = make_staff("second", superuser=False)
        url = admin_url(User, "change", second.pk)
        body = form_data(admin_client_logged_in.get(url))
        body["email"] = "SAME@example.com"
        response = admin_client_logged_in.post(url, body)
        assert errors_of(response) == {"email": ["A staff user with this email already exists."]}

    def test_a_user_who_reported_tickets_cannot_be_deleted_but_the_page_says_why(
        self, admin_client_logged_in
    ):
        agent = make_staff("agent", superuser=False)
        make_ticket(agent, make_branch())
        response = admin_client_logged_in.post(admin_url(User, "delete", agent.pk), {"post": "yes"})
        assert response.status_code == 200
        assert "protected" in response.content.decode()
        assert User.objects.filter(pk=agent.pk).exists()
