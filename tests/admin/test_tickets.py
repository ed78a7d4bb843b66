"""Tickets in the admin: numbered by their branch, moved through the service, inlines, files and watchers."""

import re
from datetime import timedelta

import pytest
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
from desk.tickets.models import Ticket, TicketKeyHistory
from tests.admin.helpers import (
    admin_url,
    errors_of,
    files_of,
    form_data,
    ticket_add_body,
)
from tests.attachments.factories import image_bytes, item
from tests.factories import make_branch, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db


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
