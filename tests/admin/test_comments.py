"""Comments in the admin: written by the staff user who adds them, with their attachments."""

import pytest
from django.core.files.storage import default_storage

from desk.attachments.services import attachments_create
from desk.comments.models import Comment
from tests.admin.helpers import admin_url, errors_of, files_of
from tests.attachments.factories import image_bytes, item
from tests.factories import make_branch, make_customer, make_ticket

pytestmark = pytest.mark.django_db


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
