"""Bodies are refused on their size and structure before a parser builds them: JSON, XML, lists, routes."""

import base64
import tracemalloc

import pytest

from desk.api.json_shape import MAX_CONTAINERS, MAX_DEPTH, MAX_VALUES, JSONShapeError, check_json_shape
from tests.factories import make_branch, make_ticket

pytestmark = pytest.mark.django_db


def peak_bytes(call):
    """What `call` answers, and the most memory Python held at once while it ran."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class TestJSONShape:
    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "JSON document is too deeply nested."),
            (b"[" + b"[]," * MAX_CONTAINERS + b"[]]", "JSON document has too many objects and arrays."),
            (b"[" + b"1," * MAX_VALUES + b"1]", "JSON document has too many values."),
            (b"[" + b'"a",' * (2 * MAX_VALUES + 1) + b'"a"]', "JSON document has too many values."),
        ],
    )
    def test_over_a_limit_is_refused(self, body, message):
        with pytest.raises(JSONShapeError, match=message):
            check_json_shape(body)

    @pytest.mark.parametrize(
        "body",
        [
            b"[" * MAX_DEPTH + b"]" * MAX_DEPTH,
            b"[" + b"[]," * (MAX_CONTAINERS - 2) + b"[]]",
            b"[" + b"1," * (MAX_VALUES - 1) + b"1]",
            # Brackets, commas and quotes inside strings are text, not structure.
            b'{"description": "' + b'[{,\\"' * 50_000 + b'"}',
        ],
    )
    def test_within_the_limits_passes(self, body):
        check_json_shape(body)

    def test_a_large_body_of_empty_objects_is_refused_without_building_them(self, api):
        body = b"[" + b"{}," * 1_000_000 + b"{}]"
        response, peak = peak_bytes(lambda: api.post("tickets", body, content_type="application/json"))
        assert response.status_code == 400
        assert response.json() == {"error": "JSON document has too many values."}
        # Building the million dicts alone would take over 60 MB; the body and its copies take about 10.
        assert peak < 5 * len(body)

    def test_too_deep_through_the_api(self, api):
        body = b'{"name": "Deep", "tags": ' + b"[" * 40 + b"]" * 40 + b"}"
        response = api.post("branches", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json() == {"error": "JSON document is too deeply nested."}


class TestXMLAttributes:
    def test_an_element_with_many_attributes_is_refused_before_expat_collects_them(self, api):
        attributes = b" ".join(b'a%d=""' % number for number in range(150_000))
        body = b"<result " + attributes + b"><name>Many</name></result>"
        response, peak = peak_bytes(lambda: api.post("tickets.json", body, content_type="application/xml"))
        assert response.status_code == 400
        assert response.json() == {"error": "XML element has more than 16 attributes."}
        # expat's attribute list and dict for 150,000 attributes would take over 30 MB.
        assert peak < 5 * len(body)

    def test_a_few_attributes_and_attribute_like_text_are_accepted(self, api):
        attributes = " ".join(f'a{number}="1"' for number in range(16))
        looks_like_a_tag = "<b " + " ".join(f'x{number}="="' for number in range(40)) + ">"
        body = f"<result {attributes}><name>Fine</name><description><![CDATA[{looks_like_a_tag}]]></description></result>"
        response = api.post("branches.json", body.encode(), content_type="application/xml")
        assert response.status_code == 201, response.content
        assert response.json()["description"] == looks_like_a_tag

    def test_attributes_count_across_the_document(self, api):
        entries = b"".join(
            b"<entry " + b" ".join(b'a%d="1"' % n for n in range(10)) + b">t</entry>" for _ in range(101)
        )
        response = api.post(
            "branches.json", b"<result><tags>" + entries + b"</tags></result>", content_type="text/xml"
        )
        assert response.status_code == 400
        assert response.json() == {"error": "XML document has too many attributes."}


class TestListLengths:
    def test_a_long_list_is_refused_on_its_length_before_its_items(self, api):
        response = api.post("branches", {"name": "Tags", "tags": [None] * 5000}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"tags": ["Ensure this field has no more than 100 elements."]}

    def test_item_errors_are_flat_messages_naming_the_item(self, api):
        response = api.post("branches", {"name": "Tags", "tags": ["ok", "x" * 256, None]}, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "error": "tags: Item 1: Ensure this field has no more than 255 characters.",
            "errors": {
                "tags": [
                    "Item 1: Ensure this field has no more than 255 characters.",
                    "Item 2: This field may not be null.",
                ]
            },
        }

    def test_form_item_errors_have_the_same_shape(self, api):
        body = "name=Tags&tags[]=ok&tags[]=" + "x" * 256
        response = api.post("branches", body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "tags": ["Item 1: Ensure this field has no more than 255 characters."]
        }


class TestPlainBodyLimit:
    """Routes that cannot carry attachments take DESK_MAX_PLAIN_BODY_BYTES; the creates that can, more."""

    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.DESK_MAX_PLAIN_BODY_BYTES = 2000
        settings.DESK_MAX_BODY_BYTES = 20_000

    def test_a_branch_body_over_the_plain_limit_is_413(self, api):
        response = api.post("branches", {"name": "Big", "description": "x" * 3000}, format="json")
        assert response.status_code == 413
        assert response.json() == {"error": "Request body is too large: the limit is 2000 bytes."}

    def test_a_ticket_update_over_the_plain_limit_is_413(self, api, admin_user):
        ticket = make_ticket(admin_user)
        response = api.patch(f"tickets/{ticket.pk}", {"description": "x" * 3000}, format="json")
        assert response.status_code == 413

    def test_creates_that_take_attachments_have_the_larger_limit(self, api, admin_user):
        branch = make_branch()
        content = base64.b64encode(b"y" * 6000).decode()
        ticket = api.post(
            "tickets",
            {
                "branch": branch.pk,
                "subject": "Attached",
                "description": "d",
                "status": "new",
                "priority": "low",
                "source": "web",
                "reporter": admin_user.person_id,
                "attachmentsInput": [{"filename": "a.txt", "content": content}],
            },
            format="json",
        )
        assert ticket.status_code == 201, ticket.content
        ticket_id = ticket.json()["id"]
        added = api.post(
            f"tickets/{ticket_id}/attachments",
            {"attachmentsInput": [{"filename": "b.txt", "content": content}]},
            format="json",
        )
        assert added.status_code == 201, added.content
        comment = api.post(
            "comments",
            {
                "content": "c",
                "ticket": ticket_id,
                "author": admin_user.person_id,
                "attachmentsInput": [{"filename": "c.txt", "content": content}],
            },
            format="json",
        )
        assert comment.status_code == 201, comment.content
        over = api.post("tickets", {"description": "x" * 21_000}, format="json")
        assert over.status_code == 413
        assert over.json() == {"error": "Request body is too large: the limit is 20000 bytes."}
