"""Who may read, add and delete attachments: staff by permission, customers on their own tickets and comments."""

import pytest
from django.contrib.auth.models import Permission

from desk.attachments.models import Attachment
from tests.attachments.factories import (
    TEXT,
    item,
    make_comment,
    make_ticket,
)
from tests.conftest import client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db


class TestPermissions:
    def test_staff_need_the_attachment_permissions(self, ticket):
        viewer = make_staff("viewer", superuser=False)
        viewer.user_permissions.add(Permission.objects.get(codename="view_attachment"))
        client = client_for(viewer)
        existing = Attachment.objects.create(ticket=ticket, filename="x.txt", file="attachments/xx/none")
        assert client.get(f"tickets/{ticket.pk}/attachments").status_code == 200
        denied = client.post(
            f"tickets/{ticket.pk}/attachments", {"attachmentsInput": [item("a.txt", TEXT)]}, format="json"
        )
        assert denied.status_code == 403
        assert denied.json() == {"error": "Not enough permissions."}
        assert client.delete(f"tickets/{ticket.pk}/attachments/{existing.pk}").status_code == 403
        nobody = client_for(make_staff("nobody", superuser=False))
        assert nobody.get(f"tickets/{ticket.pk}/attachments").status_code == 403
        assert Attachment.objects.count() == 1

    def test_staff_with_add_and_delete_permissions(self, ticket, django_capture_on_commit_callbacks):
        clerk = make_staff("clerk", superuser=False)
        for codename in ("view_attachment", "add_attachment", "delete_attachment"):
            clerk.user_permissions.add(Permission.objects.get(codename=codename))
        client = client_for(clerk)
        created = client.post(
            f"tickets/{ticket.pk}/attachments", {"attachmentsInput": [item("a.txt", TEXT)]}, format="json"
        )
        assert created.status_code == 201
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.delete(f"tickets/{ticket.pk}/attachments/{created.json()[0]['id']}").status_code == 204
            )

    def test_customers_reach_only_their_own_tickets(self, customer, customer_api, admin_user):
        mine = make_ticket(customer)
        theirs = make_ticket(make_customer("other@example.com"))
        staff_ticket = make_ticket(admin_user)
        body = {"attachmentsInput": [item("a.txt", TEXT)]}
        assert customer_api.post(f"tickets/{mine.pk}/attachments", body, format="json").status_code == 201
        assert len(customer_api.get(f"tickets/{mine.pk}/attachments").json()) == 1
        for ticket in (theirs, staff_ticket):
            for response in (
                customer_api.get(f"tickets/{ticket.pk}/attachments"),
                customer_api.post(f"tickets/{ticket.pk}/attachments", body, format="json"),
            ):
                assert response.status_code == 404
                assert response.json() == {"error": "Ticket loading failed, ticket not found."}
        assert Attachment.objects.count() == 1

    def test_customers_never_delete_ticket_attachments(self, customer, customer_api):
        mine = make_ticket(customer)
        created = customer_api.post(
            f"tickets/{mine.pk}/attachments", {"attachmentsInput": [item("a.txt", TEXT)]}, format="json"
        ).json()[0]
        response = customer_api.delete(f"tickets/{mine.pk}/attachments/{created['id']}")
        assert response.status_code == 403
        assert response.json() == {"error": "Not enough permissions."}
        assert Attachment.objects.count() == 1

    def test_customers_and_comments(
        self, customer, customer_api, admin_user, django_capture_on_commit_callbacks
    ):
        mine = make_ticket(customer)
        own = make_comment(mine, customer)
        staff_public = make_comment(mine, admin_user)
        staff_private = make_comment(mine, admin_user, private=True)
        elsewhere = make_comment(make_ticket(admin_user), admin_user)
        body = {"attachmentsInput": [item("a.txt", TEXT)]}
        on_staff = Attachment.objects.create(comment=staff_public, filename="s.txt", file="attachments/xx/s")
        hidden = Attachment.objects.create(comment=staff_private, filename="h.txt", file="attachments/xx/h")

        assert customer_api.get(f"comments/{staff_public.pk}/attachments").json()[0]["id"] == on_staff.pk
        denied = customer_api.post(f"comments/{staff_public.pk}/attachments", body, format="json")
        assert denied.status_code == 403
        assert customer_api.delete(f"comments/{staff_public.pk}/attachments/{on_staff.pk}").status_code == 403
        for comment in (staff_private, elsewhere):
            response = customer_api.get(f"comments/{comment.pk}/attachments")
            assert response.status_code == 404
            assert response.json() == {"error": "Comment loading failed, comment not found."}
        assert customer_api.get(f"comments/{staff_private.pk}/attachments/{hidden.pk}").status_code == 404

        created = customer_api.post(f"comments/{own.pk}/attachments", body, format="json")
        assert created.status_code == 201
        with django_capture_on_commit_callbacks(execute=True):
            deleted = customer_api.delete(f"comments/{own.pk}/attachments/{created.json()[0]['id']}")
        assert deleted.status_code == 204
        assert set(Attachment.objects.values_list("pk", flat=True)) == {on_staff.pk, hidden.pk}

    def test_unsigned_requests_are_401(self, client, ticket):
        response = client.get(f"/api/rest/latest/desk/tickets/{ticket.pk}/attachments")
        assert response.status_code == 401
