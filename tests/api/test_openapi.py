"""The OpenAPI document: valid, complete against the contract, every route, filter, error and security scheme."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate as validate_spec

from desk.openapi.views import openapi_document
from tests.api.openapi_document import (
    CUSTOMER,
    DATE_FILTERS,
    LIST_FILTERS,
    ORO,
    ORO_FILTER,
    STAFF,
    expected_operations,
    operations,
    resolve,
)
from tests.factories import make_customer


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
