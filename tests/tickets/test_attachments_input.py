"""Ticket create with `attachmentsInput`: files stored with the ticket, or neither on bad input."""

from urllib.parse import urlsplit

import pytest

from desk.branches.models import Branch
from desk.tickets.models import Ticket
from tests.attachments.factories import b64, image_bytes, item, storage_files
from tests.tickets.factories import ticket_body

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_json_create_stores_attachments_byte_identical(api, branch, admin_user, client):
    png = image_bytes()
    body = ticket_body(
        branch, admin_user, attachmentsInput=[item("shot.png", png), item("log.txt", b"line\n")]
    )
    response = api.post("tickets", body, format="json")
    assert response.status_code == 201, response.content
    attachments = response.json()["attachments"]
    assert [a["file"]["filename"] for a in attachments] == ["shot.png", "log.txt"]
    assert "thumbnails" in attachments[0] and "thumbnails" not in attachments[1]
    assert download(client, attachments[0]["file"]["url"]) == png
    assert download(client, attachments[1]["file"]["url"]) == b"line\n"


def test_a_create_answers_what_a_read_then_answers(api, branch, admin_user):
    # The answer is built from the rows the write stored, without reading them again.
    body = ticket_body(
        branch, admin_user, attachmentsInput=[item("shot.png", image_bytes()), item("a.txt", b"a")]
    )
    created = api.post("tickets", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json() == api.get(f"tickets/{created.json()['id']}").json()
    plain = api.post("tickets", ticket_body(branch, admin_user), format="json")
    assert plain.json()["attachments"] == []
    assert plain.json() == api.get(f"tickets/{plain.json()['id']}").json()


def test_php_form_create_with_attachments(api, branch, admin_user):
    form = (
        f"branch={branch.pk}&subject=Form&description=D&status=In+progress&priority=High&source=Web"
        f"&reporter={admin_user.person_id}"
        f"&attachmentsInput%5B0%5D%5Bfilename%5D=a.txt&attachmentsInput%5B0%5D%5Bcontent%5D={b64(b'abc')}"
    )
    response = api.post("tickets", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201, response.content
    assert response.json()["attachments"][0]["file"]["filename"] == "a.txt"


@pytest.mark.parametrize(
    ("attachments", "status"),
    [
        ([{"filename": "a.txt", "content": "not base64!!"}], 400),
        ([{"filename": "", "content": b64(b"x")}], 400),
        ("not a list", 400),
        ([item(f"f{i}.txt", b"x") for i in range(11)], 413),
    ],
)
def test_bad_attachments_leave_no_ticket_and_no_file(api, branch, admin_user, settings, attachments, status):
    response = api.post(
        "tickets", ticket_body(branch, admin_user, attachmentsInput=attachments), format="json"
    )
    assert response.status_code == status, response.content
    assert response.json()["error"]
    assert Ticket.objects.count() == 0
    assert Branch.objects.get(pk=branch.pk).last_ticket_number == 0
    assert storage_files(settings) == []


def test_attachments_input_is_not_an_update_field(api, branch, admin_user):
    ticket = api.post("tickets", ticket_body(branch, admin_user), format="json").json()
    response = api.patch(
        f"tickets/{ticket['id']}", {"attachmentsInput": [item("a.txt", b"x")]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"error": 'Ticket does not have "attachments_input" property.'}
