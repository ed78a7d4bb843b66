"""Shared plumbing through a real resource: body limits, server errors, content negotiation, key spelling."""

import pytest

from desk.branches.views import BranchViewSet
from tests.conftest import STAFF_PREFIX

pytestmark = pytest.mark.django_db


def test_body_over_the_limit_is_413_naming_the_limit(api, settings):
    settings.DESK_MAX_BODY_BYTES = 1000
    response = api.post("branches", {"name": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json() == {"error": "Request body is too large: the limit is 1000 bytes."}


def test_bad_content_length_is_400(api):
    response = api.post("branches", b"{}", content_type="application/json", CONTENT_LENGTH="abc")
    assert response.status_code == 400


def test_unexpected_error_is_500_without_traceback(api, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(BranchViewSet, "list", explode)
    response = api.get("branches")
    assert response.status_code == 500
    assert response.json() == {"error": "Internal server error."}
    assert b"secret" not in response.content and b"Traceback" not in response.content


def test_unknown_api_path_is_404_json(api):
    response = api.get(f"{STAFF_PREFIX}/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


def test_xml_request_body_answers_in_xml(api):
    response = api.post(
        "branches", b"<result><name>Answer Xml</name></result>", content_type="text/xml; charset=utf-8"
    )
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/xml; charset=utf-8"


@pytest.mark.parametrize(
    "body",
    [b"", b"<result>", b"not xml at all", b"<result><name>a</name></result><extra/>"],
)
def test_malformed_xml_is_400(api, body):
    response = api.post("branches.json", body, content_type="application/xml")
    assert response.status_code == 400
    assert response.json()["error"]


def test_json_body_that_is_not_an_object_is_400(api):
    for body in (b"[]", b'"name"', b"42", b"null"):
        response = api.post("branches", body, content_type="application/json")
        assert response.status_code == 400, body


def test_camel_and_snake_keys_are_the_same(api, admin_user):
    camel = api.post("branches", {"name": "Camel", "defaultAssignee": admin_user.pk}, format="json")
    snake = api.post("branches", {"name": "Snake", "default_assignee": admin_user.pk}, format="json")
    assert camel.json()["default_assignee"] == snake.json()["default_assignee"] == admin_user.pk


def test_deeply_nested_form_is_400(api):
    name = "a" + "[b]" * 40
    response = api.post("branches", f"{name}=1&name=Deep", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_text_filters_ignore_case_in_every_script(api):
    for name in ("Поддержка клиентов", "Straße Team", "Other"):
        assert api.post("branches", {"name": name}, format="json").status_code == 201
    assert [b["name"] for b in api.get("branches?name=ПОДДЕРЖКА").json()] == ["Поддержка клиентов"]
    assert [b["name"] for b in api.get("branches?name=поддерж").json()] == ["Поддержка клиентов"]
    assert [b["name"] for b in api.get("branches?name=50%25").json()] == []
    assert [b["name"] for b in api.get("branches?name=o_her").json()] == []
