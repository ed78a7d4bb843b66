"""Form bodies (urlencoded and multipart) are text in their charset: invalid bytes are refused, as in JSON and XML."""

import pytest

from desk.branches.models import Branch

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
BOUNDARY = "----desk-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(*fields):
    """A multipart body of (name, raw value bytes) text fields."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("body", [b"name=Bad\xffName", b"name=Bad%FFName", b"name=Ok&description=%C3%28"])
def test_invalid_utf8_in_a_urlencoded_body_is_400(api, body):
    response = api.post("branches", body, content_type=FORM)
    assert response.status_code == 400
    assert response.json() == {"error": "Form body is not valid utf-8 text."}
    assert not Branch.objects.exists()


@pytest.mark.parametrize("body", ["name=Café Crème".encode(), b"name=Caf%C3%A9%20Cr%C3%A8me"])
def test_valid_utf8_in_a_urlencoded_body_is_kept(api, body):
    response = api.post("branches", body, content_type=FORM)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Café Crème"


def test_a_declared_charset_is_used(api):
    response = api.post("branches", b"name=Caf%E9 Cr\xe8me", content_type=f"{FORM}; charset=iso-8859-1")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Café Crème"


def test_invalid_utf8_in_a_multipart_field_is_400(api):
    response = api.post("branches", multipart(("name", b"Bad\xffName")), content_type=MULTIPART)
    assert response.status_code == 400
    assert response.json() == {"error": "Form body is not valid utf-8 text."}
    assert not Branch.objects.exists()


def test_valid_utf8_in_multipart_fields_is_kept(api):
    body = multipart(("name", "Café Crème".encode()), ("tags[]", "日本".encode()), ("tags[]", b"b"))
    response = api.post("branches", body, content_type=MULTIPART)
    assert response.status_code == 201, response.content
    assert (response.json()["name"], response.json()["tags"]) == ("Café Crème", ["日本", "b"])


def test_too_many_urlencoded_fields_is_400(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = api.post("branches", "&".join(f"f{n}=1" for n in range(11)), content_type=FORM)
    assert response.status_code == 400
