"""The branch API end to end: routes, key rules, formats, lists, permissions."""

import json

import pytest

from desk.branches.models import Branch
from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, client_for
from tests.factories import make_branch, make_staff

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_create_returns_201_with_entity_and_location(self, api):
        response = api.post(
            "branches",
            {"name": "Test Branch", "description": "Desc", "tags": ["Test Tag", "TB1"], "key": "branchtest"},
            format="json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["key"] == "BRANCHTEST"
        assert body["tags"] == ["Test Tag", "TB1"]
        assert list(body) == sorted(body)
        assert response["Location"] == f"http://testserver{STAFF_PREFIX}/branches/{body['id']}"
        assert body["created_at"].endswith("+0000")

    def test_location_keeps_format_suffix(self, api):
        response = api.post("branches.json", {"name": "Suffix"}, format="json")
        assert response["Location"].endswith(f"/branches/{response.json()['id']}.json")

    @pytest.mark.parametrize(
        ("name", "key"),
        [
            ("Support", "SUPP"),
            ("Test Branch", "TB"),
            ("  sales -- and 42 marketing ", "SAM"),
            ("Поддержка", "ПОДД"),
        ],
    )
    def test_key_generated_from_name(self, api, name, key):
        response = api.post("branches", {"name": name}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["key"] == key

    def test_name_without_two_letters_cannot_make_a_key(self, api):
        response = api.post("branches", {"name": "1 2 3"}, format="json")
        assert response.status_code == 400
        assert (
            response.json()["error"]
            == "Can not generate key from given name. Name should have at least 2 letters."
        )

    @pytest.mark.parametrize("key", ["A", "AB1", "AB-C", "A" * 33, "ÄB"])
    def test_bad_key_is_400(self, api, key):
        response = api.post("branches", {"name": "Name", "key": key}, format="json")
        assert response.status_code == 400
        assert "key" in response.json()["errors"]

    def test_cyrillic_key_is_upper_cased(self, api):
        response = api.post("branches", {"name": "Ёлка", "key": "ёлка"}, format="json")
        assert response.json()["key"] == "ЁЛКА"

    def test_duplicate_key_is_404_as_documented(self, api):
        make_branch("Branch Test", key="BRANCHTEST")
        response = api.post("branches", {"name": "Other", "key": "branchtest"}, format="json")
        assert response.status_code == 404
        assert response.json() == {"error": "Branch key already exists. Please, provide another one."}
        generated = api.post("branches", {"name": "Branch Test"}, format="json")
        assert generated.status_code == 201
        again = api.post("branches", {"name": "Big Table"}, format="json")
        assert again.json() == {"error": "Branch key already exists. Please, provide another one."}
        assert Branch.objects.count() == 2

    @pytest.mark.parametrize(
        "body", [{}, {"name": ""}, {"name": "x"}, {"name": "x" * 256}, {"name": ["a", "b"]}]
    )
    def test_bad_name_is_400(self, api, body):
        response = api.post("branches", body, format="json")
        assert response.status_code == 400
        assert response.json()["error"].startswith("name: ")
        assert Branch.objects.count() == 0

    def test_default_assignee_must_be_a_staff_user(self, api, admin_user):
        response = api.post("branches", {"name": "Assigned", "default_assignee": 999}, format="json")
        assert response.status_code == 404
        assert response.json() == {"error": "User loading failed. User not found"}
        ok = api.post("branches", {"name": "Assigned", "defaultAssignee": admin_user.pk}, format="json")
        assert ok.json()["default_assignee"] == admin_user.pk

    def test_unknown_fields_on_post_are_ignored(self, api):
        response = api.post("branches", {"name": "Extra", "color": "red"}, format="json")
        assert response.status_code == 201

    def test_form_body_with_php_brackets(self, api):
        response = api.post(
            "branches",
            "name=Form+Branch&tags%5B%5D=one&tags%5B%5D=two&key=fb",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201, response.content
        assert response.json()["tags"] == ["one", "two"]
        assert response.json()["key"] == "FB"

    def test_multipart_body(self, api):
        response = api.post("branches", {"name": "Multi Part", "tags[]": ["a", "b"]}, format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["tags"] == ["a", "b"]

    def test_xml_body_and_xml_answer(self, api):
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?><result><name><![CDATA[Xml Branch]]></name>'
            b"<tags><entry>x</entry><entry>y</entry></tags></result>"
        )
        response = api.post("branches", body, content_type="application/xml")
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        text = response.content.decode()
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<result>')
        assert "<key><![CDATA[XB]]></key>" in text
        assert "<tags><entry><![CDATA[x]]></entry><entry><![CDATA[y]]></entry></tags>" in text

    def test_xml_with_entities_is_400(self, api):
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<result><name>&b;</name></result>"
        )
        response = api.post("branches", bomb, content_type="application/xml")
        assert response.status_code == 400
        assert Branch.objects.count() == 0

    def test_malformed_json_is_400(self, api):
        response = api.post("branches", b'{"name": "x"', content_type="application/json")
        assert response.status_code == 400
        assert "JSON" in response.json()["error"]

    def test_unsupported_body_type_is_415(self, api):
        response = api.post("branches", b"name: x", content_type="text/yaml")
        assert response.status_code == 415
        assert set(response.json()) == {"error"}


class TestReadUpdateDelete:
    def test_get_by_id_and_404(self, api):
        branch = make_branch(tags=["a"])
        response = api.get(f"branches/{branch.pk}")
        assert response.status_code == 200
        assert response.json()["tags"] == ["a"]
        assert "description" not in response.json()
        missing = api.get("branches/999999")
        assert missing.status_code == 404
        assert missing.json() == {"error": "Branch loading failed. Branch not found."}

    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_update_is_partial(self, api, method):
        branch = make_branch(description="Keep")
        response = getattr(api, method)(
            f"branches/{branch.pk}", {"name": "Renamed", "tags": ["t"]}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["name"] == "Renamed"
        assert response.json()["description"] == "Keep"
        assert response.json()["key"] == "SUPP"

    def test_key_cannot_change_but_same_key_is_ignored(self, api):
        branch = make_branch()
        changed = api.patch(f"branches/{branch.pk}", {"key": "OTHER"}, format="json")
        assert changed.status_code == 400
        assert changed.json() == {"error": "Branch key cannot be changed."}
        same = api.patch(f"branches/{branch.pk}", {"key": "supp", "name": "Same"}, format="json")
        assert same.status_code == 200
        assert same.json()["key"] == "SUPP"

    def test_unknown_field_on_update_is_400(self, api):
        branch = make_branch()
        response = api.put(f"branches/{branch.pk}", {"x": 1}, format="json")
        assert response.status_code == 400
        assert response.json() == {"error": 'Branch does not have "x" property.'}

    def test_update_moves_updated_at(self, api):
        branch = make_branch()
        before = Branch.objects.get(pk=branch.pk).updated_at
        api.patch(f"branches/{branch.pk}", {"description": "new"}, format="json")
        assert Branch.objects.get(pk=branch.pk).updated_at > before

    def test_delete_is_204_then_404(self, api):
        branch = make_branch()
        response = api.delete(f"branches/{branch.pk}")
        assert response.status_code == 204
        assert response.content == b""
        assert api.delete(f"branches/{branch.pk}").status_code == 404

    def test_wrong_method_is_405(self, api):
        response = api.post(f"branches/{make_branch().pk}", {}, format="json")
        assert response.status_code == 405
        assert "error" in response.json()


class TestRoutes:
    @pytest.mark.parametrize(
        "path", ["branches", "branches/", "branches.json", "branches.xml", "branches/.json"]
    )
    def test_suffixes_and_slashes(self, api, path):
        assert api.get(path).status_code == 200

    @pytest.mark.parametrize("version", ["latest", "v1"])
    def test_versions(self, api, version):
        assert api.get(f"/api/rest/{version}/desk/branches").status_code == 200

    def test_unknown_version_is_404_json(self, api):
        response = api.get("/api/rest/v2/desk/branches")
        assert response.status_code == 404
        assert response.json() == {"error": "Not found."}

    def test_xml_suffix_wins_over_accept(self, api):
        make_branch()
        response = api.get("branches.xml", HTTP_ACCEPT="application/json")
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert "<entry>" in response.content.decode()

    @pytest.mark.parametrize(
        ("accept", "expected"),
        [
            ("application/xml", "xml"),
            ("application/json", "json"),
            ("*/*", "json"),
            ("application/xml;q=0.9, application/json;q=0.8", "xml"),
            ("application/xml;q=0.5, application/json;q=0.5", "json"),
            ("text/html", "json"),
        ],
    )
    def test_accept_header(self, api, accept, expected):
        response = api.get("branches", HTTP_ACCEPT=accept)
        assert response["Content-Type"].startswith(f"application/{expected}")

    @pytest.mark.parametrize(
        ("accept", "expected"),
        [
            ("*/*", "xml"),  # curl's and python-requests' default
            ("application/*", "xml"),
            ("text/html, */*;q=0.8", "xml"),
            ("", "xml"),
            ("application/json", "json"),
            ("application/json, */*;q=0.8", "json"),
            ("application/json;q=0.1, */*", "xml"),
        ],
    )
    def test_wildcards_alone_let_an_xml_body_choose_xml(self, api, accept, expected):
        body = "<result><name><![CDATA[Wild]]></name></result>"
        response = api.post("branches", body, content_type="application/xml", HTTP_ACCEPT=accept)
        assert response.status_code == 201, response.content
        assert response["Content-Type"].startswith(f"application/{expected}")


class TestLists:
    def test_list_leaves_out_tags_and_counts(self, api):
        make_branch("Alpha", tags=["x"])
        response = api.get("branches")
        assert response.status_code == 200
        assert response["X-Total"] == "1"
        assert "tags" not in response.json()[0]
        assert "Link" not in response

    def test_pages_and_links(self, api):
        for index in range(7):
            make_branch(f"Branch {index}", key=f"B{'X' * (index + 1)}")
        first = api.get("branches?limit=3&name=Branch")
        assert first["X-Total"] == "7"
        assert len(first.json()) == 3
        base = f"http://testserver{STAFF_PREFIX}/branches?limit=3&name=Branch"
        assert first["Link"] == f'<{base}&page=3>; rel="last", <{base}&page=2>; rel="next"'
        middle = api.get("branches?limit=3&page=2&name=Branch")
        assert middle["Link"] == (
            f'<{base}&page=1>; rel="first", <{base}&page=3>; rel="last", <{base}&page=3>; rel="next", '
            f'<{base}&page=1>; rel="prev", <{base}&page=1>; rel="previous"'
        )
        last = api.get("branches?limit=3&page=3&name=Branch")
        assert len(last.json()) == 1
        assert last["Link"] == (
            f'<{base}&page=1>; rel="first", <{base}&page=2>; rel="prev", <{base}&page=2>; rel="previous"'
        )
        past = api.get("branches?limit=3&page=9&name=Branch")
        assert past.status_code == 200
        assert past.json() == []
        assert past["Link"].endswith(f'<{base}&page=3>; rel="prev", <{base}&page=3>; rel="previous"')

    @pytest.mark.parametrize(
        "query",
        [
            "limit=0",
            "limit=-1",
            "limit=abc",
            "limit=1001",
            "page=0",
            "page=-2",
            "page=x",
            "limit=1.5",
            "page=99999999999999999999999",
        ],
    )
    def test_bad_page_or_limit_is_400(self, api, query):
        response = api.get(f"branches?{query}")
        assert response.status_code == 400
        assert response.json()["error"]

    def test_huge_page_is_empty(self, api):
        make_branch()
        response = api.get("branches?page=999999999999")
        assert response.status_code == 200
        assert response.json() == []

    def test_sort_and_order(self, api):
        make_branch("Charlie")
        make_branch("Alpha")
        make_branch("Bravo")
        names = [b["name"] for b in api.get("branches?sort=name").json()]
        assert names == ["Alpha", "Bravo", "Charlie"]
        names = [b["name"] for b in api.get("branches?sort=name&order=DESC").json()]
        assert names == ["Charlie", "Bravo", "Alpha"]
        ids = [b["id"] for b in api.get("branches?order=desc").json()]
        assert ids == sorted(ids, reverse=True)
        camel = api.get("branches?sort=createdAt")
        assert camel.status_code == 200

    @pytest.mark.parametrize("query", ["sort=tags", "sort=password", "order=up", "sort=__class__"])
    def test_bad_sort_is_400(self, api, query):
        response = api.get(f"branches?{query}")
        assert response.status_code == 400

    def test_filters(self, api, admin_user):
        make_branch("Sales Point", key="PO", description="first")
        make_branch("Other", key="DPOD", description="Second one", default_assignee=admin_user)
        make_branch("Third", key="XYZ")

        def keys(query):
            response = api.get(f"branches?{query}")
            assert response.status_code == 200, response.content
            return sorted(b["key"] for b in response.json())

        assert keys("key=po") == ["DPOD", "PO"]
        assert keys("name=sales") == ["PO"]
        assert keys("description=SECOND") == ["DPOD"]
        assert keys(f"default_assignee={admin_user.pk}") == ["DPOD"]
        assert keys(f"defaultAssignee={admin_user.pk}&key=po") == ["DPOD"]
        assert keys("unknown=1&key=xyz") == ["XYZ"]
        assert api.get("branches?key=po")["X-Total"] == "2"

    def test_date_filters(self, api):
        old = make_branch("Old Branch")
        Branch.objects.filter(pk=old.pk).update(
            created_at="2015-07-17T11:25:21Z", updated_at="2015-07-17T11:25:21Z"
        )
        make_branch("New Branch")

        def names(query):
            response = api.get(f"branches?{query}")
            assert response.status_code == 200, response.content
            return [b["name"] for b in response.json()]

        assert names("createdBefore=2016-01-01") == ["Old Branch"]
        assert names("createdAfter=2015-07-17T11:25:21%2B0000") == ["Old Branch", "New Branch"]
        assert names("createdAfter=2015-07-17T11:25:22Z") == ["New Branch"]
        assert names("created_before=2015-07-17 11:25:21") == []
        assert names("createdBefore=2015-07-17T12:25:22 0100") == ["Old Branch"]
        assert names("updatedAfter=2020-01-01 00:00:00&updatedBefore=2999-01-01") == ["New Branch"]

    @pytest.mark.parametrize(
        "query", ["createdAfter=yesterday", "updatedBefore=2015-13-01", "default_assignee=x"]
    )
    def test_bad_filter_is_400(self, api, query):
        response = api.get(f"branches?{query}")
        assert response.status_code == 400
        assert response.json()["error"]


class TestPermissions:
    def test_view_only_staff_can_read_but_not_write(self, db):
        from django.contrib.auth.models import Permission

        viewer = make_staff("viewer", superuser=False)
        viewer.user_permissions.add(Permission.objects.get(codename="view_branch"))
        client = client_for(viewer)
        branch = make_branch()
        assert client.get("branches").status_code == 200
        denied = client.post("branches", {"name": "No"}, format="json")
        assert denied.status_code == 403
        assert denied.json() == {"error": "Not enough permissions."}
        assert client.patch(f"branches/{branch.pk}", {"name": "No"}, format="json").status_code == 403
        assert client.delete(f"branches/{branch.pk}").status_code == 403

    def test_staff_without_permissions_cannot_read(self, db):
        client = client_for(make_staff("nobody", superuser=False))
        assert client.get("branches").status_code == 403

    def test_customers_read_only(self, customer_api):
        branch = make_branch(tags=["t"])
        assert customer_api.get("branches").status_code == 200
        assert customer_api.get(f"branches/{branch.pk}").json()["tags"] == ["t"]
        assert customer_api.post("branches", {"name": "No"}, format="json").status_code == 403
        assert customer_api.put(f"branches/{branch.pk}", {"name": "No"}, format="json").status_code == 403
        assert customer_api.delete(f"branches/{branch.pk}").status_code == 403

    def test_keys_only_work_on_their_own_mount(self, admin_user, customer):
        staff_on_customer = client_for(admin_user)
        staff_on_customer.prefix = CUSTOMER_PREFIX
        assert staff_on_customer.get("branches").status_code == 401
        customer_on_staff = client_for(customer)
        customer_on_staff.prefix = STAFF_PREFIX
        assert customer_on_staff.get("branches").status_code == 401

    def test_xml_error_shape(self, api):
        response = api.get("branches/424242.xml")
        assert response.status_code == 404
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<result><error><![CDATA[Branch loading failed. Branch not found.]]></error></result>"
        )


def test_json_is_compact_utf8(api):
    make_branch("Поддержка")
    response = api.get("branches")
    assert json.loads(response.content.decode("utf-8"))[0]["name"] == "Поддержка"
    assert response["Content-Type"] == "application/json"
