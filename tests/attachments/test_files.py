"""What is stored and served: clean names, random storage names, sniffed types, thumbnails, downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from desk.attachments.models import Attachment
from tests.attachments.factories import image_bytes, item, make_ticket, png_claiming_size

pytestmark = pytest.mark.django_db

TEXT = b"plain text, not a picture\n"


@pytest.fixture
def ticket(admin_user):
    return make_ticket(admin_user)


def upload(api, ticket, filename, data):
    """POST one attachment and return its representation and row."""
    response = api.post(
        f"tickets/{ticket.pk}/attachments", {"attachmentsInput": [item(filename, data)]}, format="json"
    )
    assert response.status_code == 201, response.content
    entry = response.json()[0]
    return entry, Attachment.objects.get(pk=entry["id"])


def fetch(api, url):
    return api.get(url.removeprefix("http://testserver"))


class TestFilenames:
    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\Windows\\win.ini", "win.ini"),
            ("/absolute/path/report.pdf", "report.pdf"),
            ("nul\x00byte.txt", "nulbyte.txt"),
            ("line\r\nbreak.txt", "linebreak.txt"),
            ("invoice\u202etxt.exe", "invoicetxt.exe"),
            ("\u200fright\u200e-to-left\u2066.png", "right-to-left.png"),
            ("  spaced   out .txt ", "spaced out .txt"),
            ("отчёт №5.pdf", "отчёт №5.pdf"),
        ],
    )
    def test_hostile_names_are_cleaned_and_kept_only_as_data(self, api, ticket, settings, given, kept):
        entry, attachment = upload(api, ticket, given, TEXT)
        assert entry["file"]["filename"] == kept
        assert attachment.filename == kept
        # On disk the file has a random name inside the media root, whatever the client sent.
        path = (settings.MEDIA_ROOT / attachment.file.name).resolve()
        assert path.is_relative_to(settings.MEDIA_ROOT.resolve())
        assert kept not in attachment.file.name
        assert path.read_bytes() == TEXT
        assert not (settings.MEDIA_ROOT.parent / "etc").exists()

    def test_very_long_name_is_cut_keeping_its_extension(self, api, ticket):
        entry, _ = upload(api, ticket, "a" * 1000 + ".txt", TEXT)
        assert entry["file"]["filename"] == "a" * 251 + ".txt"

    def test_very_long_name_without_extension(self, api, ticket):
        entry, _ = upload(api, ticket, "b" * 300, TEXT)
        assert entry["file"]["filename"] == "b" * 255

    def test_storage_names_and_hashes_are_random(self, api, ticket):
        first = upload(api, ticket, "same.txt", TEXT)[1]
        second = upload(api, ticket, "same.txt", TEXT)[1]
        assert first.file.name != second.file.name
        assert first.hash != second.hash
        assert len(first.hash) == 32
        int(first.hash, 16)


class TestContentTypes:
    @pytest.mark.parametrize(
        ("filename", "data", "content_type", "has_thumbnail"),
        [
            ("photo.jpg", image_bytes(format="JPEG"), "image/jpeg", True),
            ("photo.png", image_bytes(), "image/png", True),
            ("no-extension", image_bytes(format="GIF"), "image/gif", True),
            ("picture.txt", image_bytes(format="WEBP"), "image/webp", True),
            ("scan.tiff", image_bytes(format="TIFF"), "image/tiff", True),
            ("notes.jpg", TEXT, "application/octet-stream", False),
            (
                "drawing.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                "application/octet-stream",
                False,
            ),
            ("page.html", b"<html><script>alert(1)</script></html>", "application/octet-stream", False),
            ("notes.txt", TEXT, "text/plain", False),
            ("report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf", False),
            ("archive.tar.gz", b"\x1f\x8b\x08\x00", "application/gzip", False),
            ("data", b"\x00\x01\x02", "application/octet-stream", False),
        ],
    )
    def test_type_comes_from_the_content(self, api, ticket, filename, data, content_type, has_thumbnail):
        entry, attachment = upload(api, ticket, filename, data)
        assert attachment.content_type == content_type
        assert ("thumbnails" in entry) is has_thumbnail
        served = fetch(api, entry["file"]["url"])
        assert served.status_code == 200
        assert served["Content-Type"] == content_type
        assert served["X-Content-Type-Options"] == "nosniff"
        assert served.getvalue() == data

    def test_text_named_jpg_has_no_thumbnail_to_download(self, api, ticket):
        entry, attachment = upload(api, ticket, "notes.jpg", TEXT)
        response = api.get(f"/desk/attachments/download/thumbnail/{attachment.hash}")
        assert response.status_code == 404
        assert response.json() == {"error": "Attachment has no thumbnail."}

    def test_corrupt_image_is_stored_without_thumbnail(self, api, ticket):
        corrupt = image_bytes(format="PNG")[:120] + b"\x00garbage" * 20
        entry, attachment = upload(api, ticket, "broken.png", corrupt)
        assert "thumbnails" not in entry
        assert not attachment.thumbnail
        assert attachment.content_type == "image/png"  # the header is a PNG's, the data is not
        assert fetch(api, entry["file"]["url"]).getvalue() == corrupt

    def test_decompression_bomb_is_stored_without_thumbnail(self, api, ticket):
        bomb = png_claiming_size(100_000, 100_000)
        entry, attachment = upload(api, ticket, "bomb.png", bomb)
        assert "thumbnails" not in entry
        assert attachment.content_type == "application/octet-stream"
        assert fetch(api, entry["file"]["url"]).getvalue() == bomb

    def test_images_over_the_pixel_limit_get_no_thumbnail(self, api, ticket, settings):
        settings.DESK_THUMBNAIL_MAX_PIXELS = 300 * 200 - 1
        entry, attachment = upload(api, ticket, "big.png", image_bytes((300, 200)))
        assert "thumbnails" not in entry
        assert attachment.content_type == "image/png"
        settings.DESK_THUMBNAIL_MAX_PIXELS = 300 * 200
        assert "thumbnails" in upload(api, ticket, "big.png", image_bytes((300, 200)))[0]

    @pytest.mark.parametrize(
        ("pixels", "files", "thumbnailed"),
        [
            (2 * 300 * 200 + 10 * 10, 10, [True, True, False, True]),
            (10**9, 2, [True, True, False, False]),
            (300 * 200 - 1, 10, [False, False, False, True]),
        ],
    )
    def test_one_request_decodes_images_within_its_budget(
        self, api, ticket, settings, pixels, files, thumbnailed
    ):
        settings.DESK_THUMBNAIL_REQUEST_PIXELS, settings.DESK_THUMBNAIL_REQUEST_FILES = pixels, files
        # The small image last: the budget skips what does not fit and still takes what does.
        images = [
            image_bytes((300, 200)),
            image_bytes((300, 200)),
            image_bytes((300, 200)),
            image_bytes((10, 10)),
        ]
        inputs = [item(f"{number}.png", data) for number, data in enumerate(images)]
        response = api.post(f"tickets/{ticket.pk}/attachments", {"attachmentsInput": inputs}, format="json")
        assert response.status_code == 201, response.content
        assert ["thumbnails" in entry for entry in response.json()] == thumbnailed
        assert [row.content_type for row in Attachment.objects.order_by("id")] == ["image/png"] * 4
        # The next request has a budget of its own.
        assert "thumbnails" in upload(api, ticket, "again.png", image_bytes((10, 10)))[0]

    def test_small_image_thumbnail_is_not_enlarged(self, api, ticket):
        entry, attachment = upload(api, ticket, "tiny.gif", image_bytes((3, 2), "GIF"))
        from PIL import Image

        with attachment.thumbnail.open("rb") as handle, Image.open(handle) as image:
            assert (image.format, image.size) == ("PNG", (3, 2))


class TestDownloads:
    @pytest.mark.parametrize(
        ("filename", "header"),
        [
            ("report.txt", 'attachment; filename="report.txt"'),
            (
                'quote"and;100%.txt',
                "attachment; filename=\"quote_and;100_.txt\"; filename*=UTF-8''quote%22and%3B100%25.txt",
            ),
            (
                "отчёт 2024.txt",
                "attachment; filename=\"2024.txt\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%202024.txt",
            ),
            ("Café.txt", "attachment; filename=\"Cafe.txt\"; filename*=UTF-8''Caf%C3%A9.txt"),
            ("日本.txt", "attachment; filename=\"attachment.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt"),
            ("🎉.txt", "attachment; filename=\"attachment.txt\"; filename*=UTF-8''%F0%9F%8E%89.txt"),
        ],
    )
    def test_content_disposition_keeps_any_name_safely(self, api, ticket, filename, header):
        entry, _ = upload(api, ticket, filename, TEXT)
        response = fetch(api, entry["file"]["url"])
        assert response["Content-Disposition"] == header

    def test_download_is_streamed_with_headers_and_needs_no_signature(self, client, api, ticket):
        entry, attachment = upload(api, ticket, "photo.png", image_bytes())
        response = client.get(f"/desk/attachments/download/file/{attachment.hash}")
        assert response.status_code == 200
        assert response.streaming
        assert b"".join(response.streaming_content) == image_bytes()
        assert response["Content-Length"] == str(len(image_bytes()))
        assert response["Content-Type"] == "image/png"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        thumbnail = client.get(f"/desk/attachments/download/thumbnail/{attachment.hash}/")
        assert thumbnail.status_code == 200
        assert thumbnail["Content-Disposition"] == f'attachment; filename="{attachment.hash}.png"'
        assert client.head(f"/desk/attachments/download/file/{attachment.hash}").status_code == 200

    def test_unknown_hash_and_bad_paths_are_404(self, client):
        for path in (
            "/desk/attachments/download/file/" + "0" * 32,
            "/desk/attachments/download/thumbnail/" + "0" * 32,
            "/desk/attachments/download/file/not-a-hash",
            "/desk/attachments/download/file/" + "A" * 32,
        ):
            response = client.get(path)
            assert response.status_code == 404
            assert "error" in response.json()
        assert client.get("/desk/attachments/download/file/" + "0" * 32).json() == {
            "error": "Attachment not found."
        }

    def test_other_methods_are_405(self, client, api, ticket):
        _, attachment = upload(api, ticket, "a.txt", TEXT)
        for method in (client.post, client.delete, client.put):
            response = method(f"/desk/attachments/download/file/{attachment.hash}")
            assert response.status_code == 405
            assert response["Allow"] == "GET, HEAD"
        assert Attachment.objects.count() == 1

    def test_row_whose_file_is_missing_is_404_not_500(self, client, api, ticket):
        _, attachment = upload(api, ticket, "a.txt", TEXT)
        attachment.file.storage.delete(attachment.file.name)
        response = client.get(f"/desk/attachments/download/file/{attachment.hash}")
        assert response.status_code == 404
        assert response.json() == {"error": "Attachment file not found."}

    def test_uploaded_file_download_is_byte_identical(self, api, ticket):
        data = bytes(range(256)) * 300
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"file": SimpleUploadedFile("all-bytes.bin", data)},
            format="multipart",
        )
        assert fetch(api, response.json()[0]["file"]["url"]).getvalue() == data
