"""Real answers of the API match what the OpenAPI document says of them, body and headers."""

import base64
import xml.etree.ElementTree as ET

import pytest
from openapi_schema_validator import OAS30ReadValidator

from tests.api.openapi_document import (
    CUSTOMER,
    STAFF,
    png_base64,
    resolve,
)
from tests.conftest import client_for
from tests.tickets.factories import make_branch


def operation_response(document, path, method, status):
    """The described response of an operation for a status code."""
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, (method, path, status, list(responses))
    return resolve(document, responses[str(status)])


def check(document, path, response):
    """A real answer matches what the document says for its operation and status: body and headers."""
    described = operation_response(document, path, response.wsgi_request.method, response.status_code)
    for name, header in described.get("headers", {}).items():
        if header.get("required"):
            assert response.has_header(name), name
    if "content" not in described:
        assert response.content == b""
        return None
    schema = described["content"]["application/json"]["schema"]
    OAS30ReadValidator({"allOf": [schema], "components": document["components"]}).validate(response.json())
    return response.json()


@pytest.mark.django_db
class TestRealAnswers:
    def test_staff_answers_match_the_document(self, document, api, admin_user):
        branch = check(document, STAFF + "branches", api.post("branches", {"name": "Support"}, format="json"))
        check(document, STAFF + "branches", api.get("branches"))
        check(document, STAFF + "branches/{id}", api.get(f"branches/{branch['id']}"))
        body = {
            "branch": branch["id"],
            "subject": "Printer on fire",
            "description": "It smokes.",
            "status": "new",
            "priority": "high",
            "source": "web",
            "reporter": f"oro_{admin_user.pk}",
            "attachmentsInput": [{"filename": "red.png", "content": png_base64()}],
        }
        ticket = check(document, STAFF + "tickets", api.post("tickets", body, format="json"))
        assert ticket["attachments"][0]["thumbnails"]
        check(document, STAFF + "tickets", api.get("tickets"))
        check(document, STAFF + "tickets/search", api.get("tickets/search?q=fire"))
        check(document, STAFF + "tickets/{key}", api.get(f"tickets/{ticket['key']}"))
        check(
            document,
            STAFF + "tickets/{id}",
            api.patch(f"tickets/{ticket['id']}", {"status": "open"}, format="json"),
        )
        check(document, STAFF + "ticket/{id}/reporter", api.get(f"ticket/{ticket['id']}/reporter"))
        assert (
            check(document, STAFF + "ticket/{id}/assignee", api.get(f"ticket/{ticket['id']}/assignee")) == []
        )
        comment_body = {"ticket": ticket["id"], "author": f"oro_{admin_user.pk}", "content": "On it."}
        comment = check(document, STAFF + "comments", api.post("comments", comment_body, format="json"))
        check(document, STAFF + "comments", api.get("comments"))
        check(document, STAFF + "comment/{id}/author", api.get(f"comment/{comment['id']}/author"))
        files = {"attachmentsInput": [{"filename": "notes.txt", "content": base64.b64encode(b"hi").decode()}]}
        path = f"comments/{comment['id']}/attachments"
        (added,) = check(document, STAFF + "comments/{id}/attachments", api.post(path, files, format="json"))
        check(document, STAFF + "comments/{id}/attachments", api.get(path))
        check(document, STAFF + "comments/{id}/attachments/{attachmentId}", api.get(f"{path}/{added['id']}"))
        user = {"email": "new@example.com", "firstName": "New", "lastName": "Customer"}
        check(document, STAFF + "users", api.post("users", user, format="json"))
        check(document, STAFF + "users/{email}/", api.get("users/new@example.com/"))
        check(document, STAFF + "tickets/{id}", api.get("tickets/999999"))
        check(document, STAFF + "branches", api.get("branches?limit=0"))
        check(document, STAFF + "tickets/{id}", api.delete(f"tickets/{ticket['id']}"))

    def test_customer_answers_match_the_document(self, document, customer):
        customer_api = client_for(customer)
        branch = make_branch()
        body = {
            "branch": branch.pk,
            "subject": "Broken",
            "description": "Nothing works.",
            "status": "new",
            "priority": "low",
            "source": "email",
        }
        ticket = check(document, CUSTOMER + "tickets", customer_api.post("tickets", body, format="json"))
        assert ticket["reporter"] == f"diamante_{customer.pk}"
        check(document, CUSTOMER + "tickets/{id}", customer_api.get(f"tickets/{ticket['id']}"))
        check(document, CUSTOMER + "users/current", customer_api.get("users/current"))
        check(document, CUSTOMER + "tickets/{id}", customer_api.delete(f"tickets/{ticket['id']}"))
        check(document, CUSTOMER + "branches", customer_api.post("branches", {"name": "Mine"}, format="json"))

    def test_xml_answers_have_the_described_names(self, document, api):
        api.post("branches", {"name": "Support"}, format="json")
        root = ET.fromstring(api.get("branches.xml").content)
        schema = document["paths"][STAFF + "branches"]["get"]["responses"]["200"]["content"][
            "application/xml"
        ]
        assert root.tag == schema["schema"]["xml"]["name"]
        assert [child.tag for child in root] == [schema["schema"]["items"]["xml"]["name"]]
