"""Ticket and comment attachments through the API: every input format, the representation, reads and deletes."""

import io
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from desk.attachments.models import Attachment
from tests.attachments.factories import (
    DOC_GIF_BASE64,
    TEXT,
    b64,
    download,
    image_bytes,
    item,
    make_comment,
    make_ticket,
    storage_files,
    stored,
)

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_json_post_answers_201_with_the_created_array(self, api, ticket):
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [item("notes.txt", TEXT), item("photo.png", image_bytes())]},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert "Location" not in response
        body = response.json()
        assert [entry["file"]["filename"] for entry in body] == ["notes.txt", "photo.png"]
        text, photo = Attachment.objects.order_by("id")
        assert list(body[0]) == ["id", "created_at", "updated_at", "file"]
        assert list(body[1]) == ["id", "created_at", "updated_at", "file", "thumbnails"]
        assert body[0]["id"] == text.pk
        assert body[0]["created_at"].endswith("+0000")
        assert body[0]["file"] == {
            "url": f"http://testserver/desk/attachments/download/file/{text.hash}",
            "filename": "notes.txt",
        }
        assert body[1]["thumbnails"] == {
            "url": f"http://testserver/desk/attachments/download/thumbnail/{photo.hash}",
            "filename": f"{photo.hash}.png",
        }
        assert (text.ticket_id, text.comment_id, text.size) == (ticket.pk, None, len(TEXT))
        assert text.content_type == "text/plain"
        assert photo.content_type == "image/png"
        assert download(api, body[0]["file"]["url"]).getvalue() == TEXT
        assert download(api, body[1]["file"]["url"]).getvalue() == image_bytes()

    def test_the_documented_example(self, api, ticket):
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [{"filename": "test.jpg", "content": DOC_GIF_BASE64}]},
            format="json",
        )
        assert response.status_code == 201, response.content
        (entry,) = response.json()
        assert entry["file"]["filename"] == "test.jpg"
        assert "thumbnails" in entry
        served = download(api, entry["file"]["url"])
        assert served["Content-Type"] == "image/gif"  # what the bytes are, not what the name says

    def test_comment_attachments_on_the_customer_mount(self, customer, customer_api):
        ticket = make_ticket(customer)
        own = make_comment(ticket, customer)
        response = customer_api.post(
            f"comments/{own.pk}/attachments.json", {"attachmentsInput": [item("a.txt", TEXT)]}, format="json"
        )
        assert response.status_code == 201, response.content
        assert Attachment.objects.get().comment_id == own.pk
        listed = customer_api.get(f"comments/{own.pk}/attachments")
        assert [entry["file"]["filename"] for entry in listed.json()] == ["a.txt"]

    def test_php_urlencoded_form(self, api, ticket):
        body = urlencode(
            {"attachmentsInput[0][filename]": "form.txt", "attachmentsInput[0][content]": b64(TEXT)}
        )
        response = api.post(
            f"tickets/{ticket.pk}/attachments", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 201, response.content
        assert response.json()[0]["file"]["filename"] == "form.txt"
        assert download(api, response.json()[0]["file"]["url"]).getvalue() == TEXT

    def test_php_multipart_form_with_base64_and_with_an_uploaded_content(self, api, ticket):
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {
                "attachmentsInput[0][filename]": "first.txt",
                "attachmentsInput[0][content]": b64(TEXT),
                "attachmentsInput[1][filename]": "second.png",
                "attachmentsInput[1][content]": SimpleUploadedFile("blob", image_bytes()),
            },
            format="multipart",
        )
        assert response.status_code == 201, response.content
        names = [entry["file"]["filename"] for entry in response.json()]
        assert names == ["first.txt", "second.png"]
        assert "thumbnails" in response.json()[1]
        assert download(api, response.json()[1]["file"]["url"]).getvalue() == image_bytes()

    def test_plain_multipart_uploads(self, api, comment):
        response = api.post(
            f"comments/{comment.pk}/attachments",
            {
                "file": SimpleUploadedFile("report.txt", TEXT),
                "files[]": [
                    SimpleUploadedFile("a.png", image_bytes()),
                    SimpleUploadedFile("b.bin", b"\x00\x01"),
                ],
            },
            format="multipart",
        )
        assert response.status_code == 201, response.content
        assert sorted(entry["file"]["filename"] for entry in response.json()) == [
            "a.png",
            "b.bin",
            "report.txt",
        ]
        for entry in response.json():
            attachment = Attachment.objects.get(pk=entry["id"])
            assert download(api, entry["file"]["url"]).getvalue() == attachment.file.open("rb").read()

    def test_xml_body_with_a_single_entry_and_xml_answer(self, api, ticket):
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><result><attachmentsInput><entry>'
            f"<filename><![CDATA[x.txt]]></filename><content><![CDATA[{b64(TEXT)}]]></content>"
            "</entry></attachmentsInput></result>"
        ).encode()
        response = api.post(f"tickets/{ticket.pk}/attachments", body, content_type="application/xml")
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        text = response.content.decode()
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<result><entry><id>')
        assert "<file><url><![CDATA[http://testserver/desk/attachments/download/file/" in text
        assert "<filename><![CDATA[x.txt]]></filename>" in text

    def test_staff_post_to_a_comment(self, api, comment):
        response = api.post(
            f"comments/{comment.pk}/attachments", {"attachmentsInput": [item("c.txt", TEXT)]}, format="json"
        )
        assert response.status_code == 201
        assert Attachment.objects.get().comment_id == comment.pk


class TestReadAndDelete:
    def post(self, client, path, *names):
        response = client.post(
            path, {"attachmentsInput": [item(name, TEXT) for name in names]}, format="json"
        )
        assert response.status_code == 201, response.content
        return response.json()

    def test_list_get_and_404s_for_tickets(self, api, ticket, admin_user):
        created = self.post(api, f"tickets/{ticket.pk}/attachments", "a.txt", "b.txt")
        other = make_ticket(admin_user)
        foreign = self.post(api, f"tickets/{other.pk}/attachments", "c.txt")[0]
        listed = api.get(f"tickets/{ticket.pk}/attachments")
        assert listed.status_code == 200
        assert listed.json() == created
        assert api.get(f"tickets/{ticket.pk}/attachments/{created[1]['id']}.json").json() == created[1]
        missing_ticket = api.get("tickets/999999/attachments")
        assert missing_ticket.status_code == 404
        assert missing_ticket.json() == {"error": "Ticket loading failed, ticket not found."}
        for path in (
            f"tickets/{ticket.pk}/attachments/{foreign['id']}",
            f"tickets/{ticket.pk}/attachments/999999",
        ):
            response = api.get(path)
            assert response.status_code == 404
            assert response.json() == {"error": "Attachment loading failed. Ticket has no such attachment."}
        assert api.get(f"tickets/{other.pk}/attachments").json() == [foreign]

    def test_list_get_and_404s_for_comments(self, api, comment):
        created = self.post(api, f"comments/{comment.pk}/attachments", "a.txt")
        assert api.get(f"comments/{comment.pk}/attachments/").json() == created
        assert api.get(f"comments/{comment.pk}/attachments/{created[0]['id']}").json() == created[0]
        missing_comment = api.delete(f"comments/999999/attachments/{created[0]['id']}")
        assert missing_comment.status_code == 404
        assert missing_comment.json() == {"error": "Comment loading failed, comment not found."}
        missing = api.get(f"comments/{comment.pk}/attachments/999999")
        assert missing.json() == {"error": "Attachment loading failed. Comment has no such attachment."}

    def test_ticket_attachment_is_not_found_under_a_comment(self, api, ticket, comment):
        on_ticket = self.post(api, f"tickets/{ticket.pk}/attachments", "a.txt")[0]
        response = api.get(f"comments/{comment.pk}/attachments/{on_ticket['id']}")
        assert response.status_code == 404
        assert response.json() == {"error": "Attachment loading failed. Comment has no such attachment."}

    def test_delete_is_204_and_removes_the_files_after_commit(
        self, api, ticket, settings, django_capture_on_commit_callbacks
    ):
        photo = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [item("p.png", image_bytes())]},
            format="json",
        ).json()[0]
        attachment = Attachment.objects.get(pk=photo["id"])
        names = [attachment.file.name, attachment.thumbnail.name]
        assert all(stored(name) for name in names)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = api.delete(f"tickets/{ticket.pk}/attachments/{photo['id']}")
            assert all(stored(name) for name in names)  # nothing goes before the commit
        assert response.status_code == 204
        assert response.content == b""
        assert callbacks
        assert not Attachment.objects.exists()
        assert storage_files(settings) == []
        assert api.delete(f"tickets/{ticket.pk}/attachments/{photo['id']}").status_code == 404
        assert download(api, photo["file"]["url"]).status_code == 404

    def test_update_is_405(self, api, ticket):
        created = self.post(api, f"tickets/{ticket.pk}/attachments", "a.txt")[0]
        response = api.put(f"tickets/{ticket.pk}/attachments/{created['id']}", {}, format="json")
        assert response.status_code == 405
        assert "error" in response.json()

    def test_list_cost_does_not_grow_with_rows(self, api, ticket, comment):
        def queries(path):
            with CaptureQueriesContext(connection) as captured:
                assert api.get(path).status_code == 200
            return len(captured)

        for path in (f"tickets/{ticket.pk}/attachments", f"comments/{comment.pk}/attachments"):
            self.post(api, path, "first.png")
            queries(path)  # the first signed call also records the key's last use
            single = queries(path)
            self.post(api, path, *(f"{n}.txt" for n in range(8)))
            assert queries(path) == single
            assert len(api.get(path).json()) == 9


def test_thumbnail_is_a_png_within_100_by_100(api, ticket):
    response = api.post(
        f"tickets/{ticket.pk}/attachments",
        {"attachmentsInput": [item("wide.jpg", image_bytes((400, 100), "JPEG"))]},
        format="json",
    )
    thumbnail = download(api, response.json()[0]["thumbnails"]["url"])
    assert thumbnail["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(thumbnail.getvalue()))
    assert (image.format, image.size) == ("PNG", (100, 25))
