"""Bad attachment input is a clear 400 or 413 and stores nothing: shapes, base64, names, sizes and counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from desk.attachments.models import Attachment
from tests.attachments.factories import (
    TEXT,
    item,
    storage_files,
)

pytestmark = pytest.mark.django_db


class TestBadInput:
    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "attachments_input: At least one attachment is required."),
            ({"attachmentsInput": []}, "attachments_input: At least one attachment is required."),
            (
                {"attachmentsInput": {"filename": "a.txt", "content": "QQ=="}},
                "attachments_input: Should be a list of objects with filename and content.",
            ),
            (
                {"attachmentsInput": ["QQ=="]},
                "attachments_input: Item 0: should be an object with filename and content.",
            ),
            (
                {"attachmentsInput": [{"content": "QQ=="}]},
                "attachments_input: Item 0: filename should not be empty.",
            ),
            (
                {"attachmentsInput": [{"filename": " ", "content": "QQ=="}]},
                "attachments_input: Item 0: filename should not be empty.",
            ),
            (
                {"attachmentsInput": [{"filename": ["a"], "content": "QQ=="}]},
                "attachments_input: Item 0: filename should be a text.",
            ),
            (
                {"attachmentsInput": [{"filename": "../..", "content": "QQ=="}]},
                "attachments_input: Item 0: filename has no usable characters.",
            ),
            (
                {"attachmentsInput": [{"filename": "a.txt"}]},
                "attachments_input: Item 0: content should not be empty.",
            ),
            (
                {"attachmentsInput": [{"filename": "a.txt", "content": ""}]},
                "attachments_input: Item 0: content should not be empty.",
            ),
            (
                {"attachmentsInput": [{"filename": "a.txt", "content": 12}]},
                "attachments_input: Item 0: content should be base64 text.",
            ),
        ],
    )
    def test_shape_and_emptiness(self, api, ticket, body, message):
        response = api.post(f"tickets/{ticket.pk}/attachments", body, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == message
        assert "attachments_input" in response.json()["errors"]

    @pytest.mark.parametrize(
        "content", ["QQ=", "Q", "QQ===", "QQ==QQ==", "QQ-_", "QQ*=", "Q\u0430==", "=QQ="]
    )
    def test_bad_base64_is_400(self, api, ticket, content):
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [{"filename": "a.txt", "content": content}]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["error"] == "attachments_input: Item 0: content is not valid base64."

    def test_a_bad_item_stores_nothing_at_all(self, api, ticket, settings):
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [item("good.txt", TEXT), {"filename": "bad.txt", "content": "%%%"}]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["error"] == "attachments_input: Item 1: content is not valid base64."
        assert Attachment.objects.count() == 0
        assert storage_files(settings) == []

    def test_zero_byte_upload_is_400(self, api, ticket, settings):
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"file": SimpleUploadedFile("empty.txt", b"")},
            format="multipart",
        )
        assert response.status_code == 400
        assert response.json()["error"] == 'attachments_input: Item 0: file "empty.txt" is empty.'
        assert storage_files(settings) == []

    def test_body_that_is_not_an_object_is_400(self, api, ticket):
        response = api.post(f"tickets/{ticket.pk}/attachments", [item("a.txt", TEXT)], format="json")
        assert response.status_code == 400
        assert response.json() == {"error": "Request body should be an object."}


class TestLimits:
    def test_file_over_the_byte_limit_is_413(self, api, ticket, settings):
        settings.DESK_ATTACHMENT_MAX_BYTES = 100
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [item("ok.txt", b"x" * 100), item("big.txt", b"x" * 101)]},
            format="json",
        )
        assert response.status_code == 413
        assert response.json() == {"error": 'Attachment "big.txt" is too large: the limit is 100 bytes.'}
        assert Attachment.objects.count() == 0
        assert storage_files(settings) == []

    def test_uploaded_file_over_the_byte_limit_is_413(self, api, ticket, settings):
        settings.DESK_ATTACHMENT_MAX_BYTES = 100
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"file": SimpleUploadedFile("big.bin", b"x" * 101)},
            format="multipart",
        )
        assert response.status_code == 413
        assert response.json() == {"error": 'Attachment "big.bin" is too large: the limit is 100 bytes.'}
        assert storage_files(settings) == []

    def test_too_many_files_is_413(self, api, ticket, settings):
        settings.DESK_ATTACHMENT_MAX_FILES = 2
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [item(f"{n}.txt", TEXT) for n in range(3)]},
            format="json",
        )
        assert response.status_code == 413
        assert response.json() == {"error": "Too many attachments: the limit is 2 files per request."}
        assert Attachment.objects.count() == 0

    def test_more_uploads_than_django_parses_is_413(self, api, ticket, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
        files = [SimpleUploadedFile(f"{n}.txt", TEXT) for n in range(3)]
        response = api.post(f"tickets/{ticket.pk}/attachments", {"files[]": files}, format="multipart")
        assert response.status_code == 413
        assert response.json() == {"error": "Too many attachments: the limit is 10 files per request."}
        assert storage_files(settings) == []

    def test_body_over_the_request_limit_is_413(self, api, ticket, settings):
        settings.DESK_MAX_BODY_BYTES = 1000
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"attachmentsInput": [item("a.bin", b"x" * 2000)]},
            format="json",
        )
        assert response.status_code == 413
        assert response.json() == {"error": "Request body is too large: the limit is 1000 bytes."}
        assert Attachment.objects.count() == 0
