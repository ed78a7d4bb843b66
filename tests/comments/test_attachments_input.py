"""Comment create with `attachmentsInput`: the comment, its files and the ticket status together, or none."""

from urllib.parse import urlsplit

import pytest

from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.attachments.factories import b64, item, storage_files
from tests.comments.factories import make_ticket
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(admin_user):
    return make_ticket(admin_user)


def test_json_create_with_attachments(api, admin_user, ticket, client):
    body = {
        "content": "See log",
        "ticket": ticket.pk,
        "author": admin_user.person_id,
        "ticketStatus": "pending",
        "attachmentsInput": [item("log.txt", b"boom\n")],
    }
    response = api.post("comments", body, format="json")
    assert response.status_code == 201, response.content
    [attachment] = response.json()["attachments"]
    assert attachment["file"]["filename"] == "log.txt"
    download = client.get(urlsplit(attachment["file"]["url"]).path)
    assert b"".join(download.streaming_content) == b"boom\n"
    assert Ticket.objects.get(pk=ticket.pk).status == "pending"


def test_a_create_answers_what_a_read_then_answers(api, admin_user, ticket):
    # The answer is built from the rows the write stored, without reading them again.
    for attachments in ([item("log.txt", b"boom\n"), item("b.txt", b"b")], []):
        body = {
            "content": "x",
            "ticket": ticket.pk,
            "author": admin_user.person_id,
            "attachmentsInput": attachments,
        }
        created = api.post("comments", body, format="json")
        assert created.status_code == 201, created.content
        assert len(created.json()["attachments"]) == len(attachments)
        assert created.json() == api.get(f"comments/{created.json()['id']}").json()


def test_customer_form_create_with_attachments(customer, admin_user):
    ticket = make_ticket(customer)
    form = (
        f"content=Hello&ticket={ticket.pk}&private=0"
        f"&attachmentsInput%5B0%5D%5Bfilename%5D=a.txt&attachmentsInput%5B0%5D%5Bcontent%5D={b64(b'abc')}"
    )
    response = client_for(customer).post("comments", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201, response.content
    assert response.json()["attachments"][0]["file"]["filename"] == "a.txt"
    assert response.json()["author_type"] == "diamante"


def test_bad_attachment_leaves_no_comment_no_status_change_no_file(api, admin_user, ticket, settings):
    body = {
        "content": "x",
        "ticket": ticket.pk,
        "author": admin_user.person_id,
        "ticketStatus": "closed",
        "attachmentsInput": [item("ok.txt", b"fine"), {"filename": "bad.txt", "content": "%%%"}],
    }
    response = api.post("comments", body, format="json")
    assert response.status_code == 400
    assert "base64" in response.json()["error"]
    assert Comment.objects.count() == 0
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status
    assert storage_files(settings) == []
