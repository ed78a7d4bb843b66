"""The OpenAPI document and its Swagger UI: valid, complete against the contract, true to real answers."""

import base64
import io
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from openapi_schema_validator import OAS30ReadValidator
from openapi_spec_validator import validate as validate_spec
from PIL import Image
from playwright.sync_api import sync_playwright

from desk.api.schema_views import openapi_document
from tests.conftest import client_for
from tests.factories import make_customer
from tests.tickets.factories import make_branch

STAFF = "/api/rest/{version}/desk/"
CUSTOMER = "/api/diamante/rest/{version}/desk/"
# Contract section 1, route by route: the same on both mounts unless noted.
BOTH_MOUNTS = {
    "branches": "GET POST",
    "branches/{id}": "GET PUT PATCH DELETE",
    "tickets": "GET POST",
    "tickets/search": "GET",
    "tickets/{id}": "GET PUT PATCH DELETE",
    "tickets/{key}": "GET PUT PATCH DELETE",
    "tickets/{id}/attachments": "GET POST",
    "tickets/{id}/attachments/{attachmentId}": "GET DELETE",
    "ticket/{id}/reporter": "GET",
    "ticket/{id}/assignee": "GET",
    "comment/{id}/author": "GET",
    "comments": "GET POST",
    "comments/{id}": "GET PUT PATCH DELETE",
    "comments/{id}/attachments": "GET POST",
    "comments/{id}/attachments/{attachmentId}": "GET DELETE",
    "tickets/{id}/watchers": "GET POST",
    "tickets/{id}/watchers/{userId}": "DELETE",
}
STAFF_ONLY = {"users": "GET POST", "users/{email}/": "GET", "users/{id}": "GET PUT PATCH DELETE"}
CUSTOMER_ONLY = {"users/current": "GET PUT PATCH"}
# OroPlatform's user API: the staff prefix without `desk/`.
ORO_FILTER = "/api/rest/{version}/user/filter"
ORO = {ORO_FILTER: "GET", "/api/rest/{version}/users": "GET"}
WITHOUT_PREFIX = {
    "/desk/attachments/download/file/{hash}": "GET",
    "/desk/attachments/download/thumbnail/{hash}": "GET",
}
# Contract section 5: each list's filters, as clients spell them.
DATE_FILTERS = {"createdBefore", "createdAfter", "updatedBefore", "updatedAfter"}
TICKET_FILTERS = {
    "branch",
    "assignee",
    "reporter",
    "status",
    "priority",
    "source",
    "subject",
    "description",
    "key",
}
LIST_FILTERS = {
    "branches": {"name", "description", "key", "default_assignee"},
    "tickets": TICKET_FILTERS,
    "tickets/search": TICKET_FILTERS | {"q"},
    "comments": {"ticket", "author", "content", "private"},
    "users": {"email", "first_name", "last_name"},
}


def png_base64():
    """A tiny PNG, base64-encoded as attachmentsInput carries it."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def expected_operations():
    """Every (METHOD, path) the contract names, both mounts and the downloads."""
    routes = [(STAFF + route, methods) for route, methods in {**BOTH_MOUNTS, **STAFF_ONLY}.items()]
    routes += [(CUSTOMER + route, methods) for route, methods in {**BOTH_MOUNTS, **CUSTOMER_ONLY}.items()]
    routes += list(ORO.items()) + list(WITHOUT_PREFIX.items())
    return {(method, path) for path, methods in routes for method in methods.split()}


def operations(document):
    """(METHOD, path, operation) for every operation of a document."""
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def resolve(document, node):
    """A node with a `$ref` into the document replaced by what it points at."""
    while "$ref" in node:
        target = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


@pytest.fixture(scope="module")
def document():
    """The document as a client fetches it, in JSON."""
    response = Client().get("/api/schema?format=json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


class TestDocument:
    def test_is_a_valid_openapi_3_document(self, document):
        validate_spec(document)
        assert document["openapi"].startswith("3.0")

    def test_yaml_by_default_and_json_by_accept_header_say_the_same(self, document):
        as_yaml = Client().get("/api/schema")
        assert as_yaml.status_code == 200
        assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
        assert yaml.load(as_yaml.content, Loader=yaml.CSafeLoader) == document
        by_accept = Client().get("/api/schema", HTTP_ACCEPT="application/json")
        assert by_accept["Content-Type"] == "application/json"
        assert by_accept.json() == document

    def test_unknown_format_is_404(self):
        assert Client().get("/api/schema?format=xml").status_code == 404

    def test_generation_is_free_of_warnings(self, tmp_path):
        # --fail-on-warn turns any field, filter or route drf-spectacular cannot read into an error here.
        call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
        assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.0")

    @pytest.mark.django_db
    def test_generation_reads_no_database(self):
        openapi_document.cache_clear()
        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/api/schema?format=json").status_code == 200
        assert len(queries) == 0

    def test_generated_once_per_process(self, document):
        first, second = Client().get("/api/schema?format=json"), Client().get("/api/schema?format=json")
        assert openapi_document.cache_info().hits >= 1
        assert first.json() == second.json() == document

    def test_needs_no_authentication_and_ignores_a_bad_header(self):
        for path in ("/api/schema", "/api/doc"):
            assert Client().get(path, HTTP_X_WSSE='UsernameToken Username="nobody"').status_code == 200


class TestRoutes:
    def test_every_route_of_the_contract_and_nothing_else(self, document):
        described = {(method, path) for method, path, _ in operations(document)}
        assert described == expected_operations()

    def test_paths_are_clean(self, document):
        for path in document["paths"]:
            assert "//" not in path and "{format}" not in path and "{pk}" not in path, path

    def test_version_is_an_enum_path_parameter(self, document):
        for method, path, operation in operations(document):
            if "{version}" in path:
                (version,) = [p for p in operation["parameters"] if p["name"] == "version"]
                assert version["in"] == "path" and version["required"]
                assert version["schema"]["enum"] == ["latest", "v1"], (method, path)

    def test_operation_ids_are_unique(self, document):
        ids = [operation["operationId"] for _, _, operation in operations(document)]
        assert len(ids) == len(set(ids))

    def test_operations_are_tagged_by_mount_and_resource(self, document):
        tags = {(method, path): operation["tags"] for method, path, operation in operations(document)}
        assert tags["GET", STAFF + "tickets/{key}"] == ["staff: tickets"]
        assert tags["POST", CUSTOMER + "comments/{id}/attachments"] == ["customer: comment attachments"]
        assert tags["GET", CUSTOMER + "users/current"] == ["customer: current customer"]
        assert tags["GET", STAFF + "ticket/{id}/assignee"] == ["staff: people"]
        names = [tag["name"] for tag in document["tags"]]
        assert names[0] == "staff: branches" and names[-1] == "downloads"

    def test_the_optional_suffix_is_described(self, document):
        description = document["info"]["description"]
        assert "`.json` or `.xml`" in description and "users/a@b.com/.json" in description


class TestSecurity:
    def test_wsse_is_an_api_key_in_the_x_wsse_header(self, document):
        schemes = document["components"]["securitySchemes"]
        assert set(schemes) == {"StaffWSSE", "CustomerWSSE"}
        for scheme in schemes.values():
            assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-WSSE")
            assert "wsse_header" in scheme["description"]

    def test_each_mount_asks_for_its_own_key_and_downloads_for_none(self, document):
        for method, path, operation in operations(document):
            if path.startswith("/api/rest/"):
                assert operation["security"] == [{"StaffWSSE": []}], (method, path)
            elif path.startswith("/api/diamante/"):
                assert operation["security"] == [{"CustomerWSSE": []}], (method, path)
            else:
                assert operation["security"] == [], (method, path)

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        ("scheme", "prefix", "customer"), [("StaffWSSE", STAFF, False), ("CustomerWSSE", CUSTOMER, True)]
    )
    def test_a_pasted_header_works_once_as_the_page_says(
        self, document, admin_user, scheme, prefix, customer
    ):
        """What Swagger UI does with the value pasted into Authorize: send it as the scheme's header."""
        make_customer()
        header = document["components"]["securitySchemes"][scheme]["name"]
        out = io.StringIO()
        call_command(
            "wsse_header", *(["--customer", "customer@example.com"] if customer else ["admin"]), stdout=out
        )
        value = out.getvalue().strip().split(" ", 1)[1]  # what `| cut -d' ' -f2-` leaves
        operation = document["paths"][prefix + "branches"]["get"]
        (version,) = [p for p in operation["parameters"] if p["name"] == "version"]
        url = (prefix + "branches").replace("{version}", version["schema"]["default"])
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        first = Client().get(url, **{meta_key: value})
        assert first.status_code == 200, first.content
        again = Client().get(url, **{meta_key: value})
        assert again.status_code == 401
        assert again.json() == {"error": "Previously used nonce detected."}


LISTS = [(prefix, route) for prefix in (STAFF, CUSTOMER) for route in sorted(LIST_FILTERS)]


class TestListsAndErrors:
    @pytest.mark.parametrize(("prefix", "route"), [entry for entry in LISTS if entry != (CUSTOMER, "users")])
    def test_list_parameters_and_headers(self, document, prefix, route):
        operation = document["paths"][prefix + route]["get"]
        names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        assert names == {"page", "limit", "sort", "order"} | DATE_FILTERS | LIST_FILTERS[route]
        response = operation["responses"]["200"]
        assert set(response["headers"]) == {"X-Total", "Link"}
        assert response["headers"]["X-Total"]["schema"] == {"type": "integer"}
        assert response["content"]["application/json"]["schema"]["type"] == "array"
        assert operation["responses"]["400"]

    def test_error_shape(self, document):
        error = document["components"]["schemas"]["Error"]
        assert error["required"] == ["error"]
        assert error["properties"]["error"]["type"] == "string"
        assert error["properties"]["errors"]["type"] == "object"

    def test_every_error_answer_has_the_error_shape(self, document):
        for method, path, operation in operations(document):
            assert {"401", "403"} <= set(operation["responses"]) or path.startswith("/desk/"), (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400 and (path, code) != (ORO_FILTER, "404"):
                    schema = resolve(document, response)["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)

    def test_customers_write_without_naming_a_reporter(self, document):
        staff = document["paths"][STAFF + "tickets"]["post"]["requestBody"]["content"]["application/json"]
        customer = document["paths"][CUSTOMER + "tickets"]["post"]["requestBody"]["content"][
            "application/json"
        ]
        staff_body, customer_body = (
            resolve(document, body["schema"]["allOf"][0]) for body in (staff, customer)
        )
        assert {"reporter", "assignee"} <= set(staff_body["properties"])
        assert not {"reporter", "assignee"} & set(customer_body["properties"])
        assert customer["schema"]["allOf"][1]["properties"]["attachmentsInput"]["type"] == "array"

    def test_writes_describe_413_and_415(self, document):
        operation = document["paths"][STAFF + "tickets"]["post"]
        assert {"400", "404", "413", "415"} <= set(operation["responses"])

    def test_json_and_xml_both_ways(self, document):
        for method, path, operation in operations(document):
            if path.startswith("/desk/") or path in ORO:
                continue
            for response in operation["responses"].values():
                content = resolve(document, response).get("content")
                if content:
                    assert set(content) == {"application/json", "application/xml"}, (method, path)
            if "requestBody" in operation:
                assert set(operation["requestBody"]["content"]) == {
                    "application/json",
                    "application/xml",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                }

    def test_oros_user_api_as_oro_documents_it(self, document):
        filter_, users = (document["paths"][path]["get"] for path in ORO)
        assert [p["name"] for p in filter_["parameters"] if p["in"] == "query"] == ["username", "email"]
        assert "content" not in filter_["responses"]["404"]
        assert set(filter_["responses"]["200"]["content"]) == {"application/json"}
        user = document["components"]["schemas"]["StaffUser"]
        assert list(user["properties"]) == [
            "id",
            "username",
            "email",
            "firstName",
            "lastName",
            "enabled",
            "createdAt",
            "updatedAt",
        ]
        (limit,) = [p for p in users["parameters"] if p["name"] == "limit"]
        assert "maximum" not in limit["schema"]
        assert users["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
        assert filter_["tags"] == users["tags"] == ["staff: staff users"]

    def test_watchers_are_persons_on_both_mounts(self, document):
        for mount in (STAFF, CUSTOMER):
            item = document["paths"][mount + "tickets/{id}/watchers"]
            listed = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            assert listed == {"type": "array", "items": {"$ref": "#/components/schemas/Person"}}
            added = item["post"]["responses"]["201"]["content"]["application/json"]["schema"]
            assert added == {"$ref": "#/components/schemas/Person"}
            removed = document["paths"][mount + "tickets/{id}/watchers/{userId}"]["delete"]
            (user_id,) = [p for p in removed["parameters"] if p["name"] == "userId"]
            assert user_id["schema"]["pattern"] and "204" in removed["responses"]

    def test_xml_bodies_are_named_as_the_renderer_writes_them(self, document):
        xml = document["paths"][STAFF + "branches"]["get"]["responses"]["200"]["content"]["application/xml"]
        assert xml["schema"]["xml"] == {"name": "result", "wrapped": True}
        assert xml["schema"]["items"]["xml"] == {"name": "entry"}


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


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files collected as `make run` collects them, into a folder of this module's own."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


class TestDocPage:
    def test_swagger_ui_loads_only_this_servers_assets(self, settings, static_root):
        settings.STATIC_ROOT = static_root
        client = Client()  # its middleware, whitenoise included, starts with these settings
        page = client.get("/api/doc")
        assert page.status_code == 200
        assert page["Content-Type"].startswith("text/html")
        html = page.content.decode()
        assert "http://" not in html and "https://" not in html
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert len(assets) == 4  # favicon, stylesheet, bundle, preset
        assert '"/api/schema"' in html
        for asset in assets:
            assert asset.startswith("/static/") and not asset.startswith("//"), asset
            fetched = client.get(asset)
            assert fetched.status_code == 200, asset
            body = b"".join(fetched.streaming_content) if fetched.streaming else fetched.content
            assert len(body) > 0, asset
        assert (
            json.loads(re.search(r"const swaggerSettings = (\{.*?\});", html, re.S)[1])["validatorUrl"]
            is None
        )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def pasted_header(*args):
    """The value `wsse_header ... | cut -d' ' -f2-` prints, as a person pastes it into Authorize."""
    out = io.StringIO()
    call_command("wsse_header", *args, stdout=out)
    return out.getvalue().strip().split(" ", 1)[1]


def authorize(page, scheme, value):
    """Paste a header value into one scheme of Swagger UI's Authorize dialog."""
    page.click("button.authorize")
    box = page.locator(".modal-ux .auth-container", has_text=scheme)
    box.locator("input[type=text]").fill(value)
    box.locator("button.authorize").click()
    page.locator(".modal-ux button.btn-done").first.click()


def try_out(page, tag, summary):
    """Open an operation's tag and the operation itself, and press Try it out."""
    page.locator(".opblock-tag", has_text=tag).first.click()
    operation = page.locator(".opblock", has_text=summary).first
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    return operation


def execute(operation):
    """Press Execute; the live response's status and everything shown about it."""
    operation.locator("button.execute").click()
    live = operation.locator(".live-responses-table tbody tr.response").first
    live.wait_for()
    return live.locator(".response-col_status").inner_text().strip(), live.inner_text()


@pytest.mark.django_db(transaction=True)
def test_try_it_out_in_a_browser_with_pasted_headers(live_server, admin_user):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does."
        )
    make_branch()
    make_customer()
    # Made before the browser starts: Playwright's event loop in this thread rules out ORM calls beside it.
    staff, customer = pasted_header("admin"), pasted_header("--customer", "customer@example.com")
    elsewhere = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(15_000)
            page.on(
                "request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url)
            )
            page.goto(f"{live_server.url}/api/doc")
            page.locator(".opblock-tag").first.wait_for()
            tags = [text.split("\n")[0] for text in page.locator(".opblock-tag").all_inner_texts()]
            assert tags[0] == "staff: branches" and "customer: current customer" in tags

            authorize(page, "StaffWSSE", staff)
            branches = try_out(page, "staff: branches", "List branches")
            status, shown = execute(branches)
            assert status == "200", shown
            assert '"name": "Support"' in shown and "x-total: 1" in shown.lower()
            # The same header again: the nonce is spent, as the page warns.
            status, shown = execute(branches)
            assert status == "401" and "Previously used nonce detected." in shown

            authorize(page, "CustomerWSSE", customer)
            status, shown = execute(try_out(page, "customer: current customer", "The calling customer"))
            assert status == "200" and "customer@example.com" in shown
        finally:
            browser.close()
    assert elsewhere == []


class TestOtherMethods:
    @pytest.mark.parametrize("path", ["/api/doc", "/api/schema"])
    def test_options_answers_json_naming_the_methods(self, path):
        response = Client().options(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Allow"] == "GET, HEAD, OPTIONS"

    @pytest.mark.parametrize("path", ["/api/doc", "/api/schema"])
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writes_are_the_api_json_405(self, path, method):
        response = getattr(Client(), method)(path)
        assert response.status_code == 405
        assert response.json() == {"error": f'Method "{method.upper()}" not allowed.'}
