"""The users API on the staff mount: customers created, found by email and listed by staff."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission

from desk.users.models import Customer
from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

DENIED = {"error": "Not enough permissions."}
NOT_FOUND = {"error": "User not found."}
DUPLICATE = "email: User with this email already exists."


def new_user(**fields):
    """A create body in the documented camelCase."""
    return {"email": "john@example.com", "firstName": "John", "lastName": "Dou", **fields}


class TestCreate:
    def test_create_returns_201_with_entity_and_location(self, api):
        response = api.post("users", new_user(email="1437135532dummy@test-server.local"), format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        customer = Customer.objects.get()
        assert data == {
            "email": "1437135532dummy@test-server.local",
            "first_name": "John",
            "id": customer.pk,
            "last_name": "Dou",
        }
        assert list(data) == ["email", "first_name", "id", "last_name"]
        assert response["Location"] == f"http://testserver{STAFF_PREFIX}/users/{customer.pk}"
        assert api.get(urlsplit(response["Location"]).path).json() == data

    def test_location_keeps_the_format_suffix(self, api):
        response = api.post("users.xml", new_user(email="a+b@example.com"), format="json")
        assert response.status_code == 201
        assert (
            response["Location"] == f"http://testserver{STAFF_PREFIX}/users/{Customer.objects.get().pk}.xml"
        )
        assert (
            api.get(urlsplit(response["Location"]).path)["Content-Type"] == "application/xml; charset=utf-8"
        )

    def test_snake_case_keys_too(self, api):
        response = api.post(
            "users", {"email": "s@example.com", "first_name": "Sam", "last_name": "Snake"}, format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["last_name"] == "Snake"

    def test_php_form_body(self, api):
        response = api.post(
            "users",
            "email=form%2Buser%40example.com&firstName=F%C3%B6rm&lastName=User&role=admin",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201, response.content
        assert response.json()["email"] == "form+user@example.com"
        assert response.json()["first_name"] == "Förm"

    def test_xml_body_and_answer(self, api):
        xml = (
            b'<?xml version="1.0" encoding="UTF-8"?><result><email>x@example.com</email>'
            b"<firstName><![CDATA[\xd1\x84\xd1\x96\xd0\xb2]]></firstName><lastName>Dou</lastName></result>"
        )
        response = api.post("users", xml, content_type="application/xml")
        assert response.status_code == 201, response.content
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><email><![CDATA[x@example.com]]></email>'
            f"<first_name><![CDATA[фів]]></first_name><id>{Customer.objects.get().pk}</id>"
            "<last_name><![CDATA[Dou]]></last_name></result>"
        )

    @pytest.mark.parametrize(
        ("missing", "field"), [("email", "email"), ("firstName", "first_name"), ("lastName", "last_name")]
    )
    def test_required_fields(self, api, missing, field):
        data = new_user()
        del data[missing]
        response = api.post("users", data, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == f"{field}: This field is required."
        assert Customer.objects.count() == 0

    @pytest.mark.parametrize(
        "email", ["not-an-email", "a@", "@b.com", "a b@c.com", "", "a@b.com\x00", "x" * 250 + "@b.com"]
    )
    def test_invalid_email_is_400(self, api, email):
        response = api.post("users", new_user(email=email), format="json")
        assert response.status_code == 400
        assert response.json()["error"].startswith("email: ")
        assert Customer.objects.count() == 0

    @pytest.mark.parametrize("field", ["firstName", "lastName"])
    def test_blank_or_long_names_are_400(self, api, field):
        for value in ("", "x" * 256):
            response = api.post("users", new_user(**{field: value}), format="json")
            assert response.status_code == 400
            assert "errors" in response.json()

    @pytest.mark.parametrize("email", ["john@example.com", "JOHN@Example.COM"])
    def test_duplicate_email_in_any_case_is_400(self, api, email):
        make_customer("john@example.com")
        response = api.post("users", new_user(email=email), format="json")
        assert response.status_code == 400
        assert response.json() == {
            "error": DUPLICATE,
            "errors": {"email": ["User with this email already exists."]},
        }
        assert Customer.objects.count() == 1


class TestFindByEmail:
    @pytest.mark.parametrize(
        "path",
        [
            "users/mary.jane+desk@sub.example.co.uk/",
            "users/mary.jane+desk@sub.example.co.uk",
            "users/mary.jane+desk@sub.example.co.uk/.json",
            "users/mary.jane+desk@sub.example.co.uk/.json/",
            "users/MARY.Jane+Desk@sub.example.co.uk/",
            "users/mary.jane%2Bdesk%40sub.example.co.uk/",
        ],
    )
    def test_found_by_email(self, api, path):
        customer = make_customer("mary.jane+desk@sub.example.co.uk", "Mary", "Jane")
        response = api.get(path)
        assert response.status_code == 200, response.content
        assert response.json() == {
            "email": "mary.jane+desk@sub.example.co.uk",
            "first_name": "Mary",
            "id": customer.pk,
            "last_name": "Jane",
        }

    def test_xml_after_the_slash(self, api):
        make_customer("x@example.com")
        response = api.get("users/x@example.com/.xml")
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert "<email><![CDATA[x@example.com]]></email>" in response.content.decode()

    @pytest.mark.parametrize(
        "path",
        [
            "users/nobody@example.com/",
            "users/x@example.com.json",
            "users/current",
            "users/x@example%00.com/",
            "users/x",
        ],
    )
    def test_not_found(self, api, path):
        make_customer("x@example.com")
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    def test_not_found_in_xml(self, api):
        response = api.get("users/nobody@example.com/.xml")
        assert response.status_code == 404
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><error><![CDATA[User not found.]]></error></result>'
        )

    @pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
    def test_only_get(self, api, method):
        make_customer("x@example.com")
        response = getattr(api, method)("users/x@example.com/", {"first_name": "No"}, format="json")
        assert response.status_code == 405
        assert Customer.objects.get().first_name == "Carla"


class TestList:
    @pytest.fixture
    def people(self):
        made = [
            make_customer("ann@shop.example", "Ann", "Archer"),
            make_customer("bob@other.example", "Bob", "Baker"),
            make_customer("cid@shop.example", "Cid", "Annan"),
        ]
        Customer.objects.filter(pk=made[0].pk).update(
            created_at="2015-07-17T11:25:21Z", updated_at="2015-07-17T11:25:21Z"
        )
        return [customer.pk for customer in made]

    @staticmethod
    def ids(client, query=""):
        response = client.get(f"users?{query}")
        assert response.status_code == 200, response.content
        return [user["id"] for user in response.json()]

    def test_list_is_a_bare_array(self, api, people):
        response = api.get("users")
        assert response["X-Total"] == "3"
        assert [user["id"] for user in response.json()] == people
        assert list(response.json()[0]) == ["email", "first_name", "id", "last_name"]

    def test_filters(self, api, people):
        ann, bob, cid = people
        assert self.ids(api, "email=SHOP") == [ann, cid]
        assert self.ids(api, "firstName=b") == [bob]
        assert self.ids(api, "first_name=AN") == [ann]
        assert self.ids(api, "last_name=an") == [cid]
        assert self.ids(api, "lastName=an&email=shop&first_name=c") == [cid]
        assert self.ids(api, "createdBefore=2016-01-01") == [ann]
        assert self.ids(api, "updatedAfter=2016-01-01 00:00:00&email=shop") == [cid]
        assert self.ids(api, "unknown=1&email=other") == [bob]

    def test_pages_with_filters(self, api):
        made = [make_customer(f"user{index}@shop.example").pk for index in range(5)]
        make_customer("outsider@else.example")
        response = api.get("users?email=shop&limit=2&page=2")
        assert response["X-Total"] == "5"
        assert [user["id"] for user in response.json()] == made[2:4]
        base = f"http://testserver{STAFF_PREFIX}/users?email=shop&limit=2"
        assert response["Link"] == (
            f'<{base}&page=1>; rel="first", <{base}&page=3>; rel="last", <{base}&page=3>; rel="next", '
            f'<{base}&page=1>; rel="prev", <{base}&page=1>; rel="previous"'
        )
        assert api.get("users?email=shop&limit=2&page=4").json() == []

    def test_sort(self, api, people):
        ann, bob, cid = people
        assert self.ids(api, "sort=last_name") == [cid, ann, bob]
        assert self.ids(api, "sort=lastName&order=desc") == [bob, ann, cid]
        assert self.ids(api, "sort=email&order=DESC") == [cid, bob, ann]
        assert self.ids(api, "sort=firstName") == [ann, bob, cid]
        assert self.ids(api, "sort=created_at&order=desc") == [cid, bob, ann]
        assert self.ids(api, "sort=updatedAt") == [ann, bob, cid]
        assert self.ids(api, "order=desc") == [cid, bob, ann]

    @pytest.mark.parametrize(
        "query", ["sort=is_active", "sort=api_keys", "order=sideways", "limit=0", "createdAfter=x"]
    )
    def test_bad_query_is_400(self, api, query):
        response = api.get(f"users?{query}")
        assert response.status_code == 400
        assert response.json()["error"]

    def test_xml_list(self, api, people):
        text = api.get("users.xml?email=bob").content.decode()
        assert text == (
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><entry><email><![CDATA[bob@other.example]]></email>'
            f"<first_name><![CDATA[Bob]]></first_name><id>{people[1]}</id>"
            "<last_name><![CDATA[Baker]]></last_name></entry></result>"
        )


class TestStaffPermissions:
    def test_view_only_staff_reads_but_cannot_create(self, db):
        viewer = make_staff("viewer", superuser=False)
        viewer.user_permissions.add(Permission.objects.get(codename="view_customer"))
        client = client_for(viewer)
        make_customer("x@example.com")
        assert client.get("users").status_code == 200
        assert client.get("users/x@example.com/").status_code == 200
        denied = client.post("users", new_user(), format="json")
        assert (denied.status_code, denied.json()) == (403, DENIED)
        assert Customer.objects.count() == 1

    def test_add_permission_creates(self, db):
        creator = make_staff("creator", superuser=False)
        creator.user_permissions.add(Permission.objects.get(codename="add_customer"))
        client = client_for(creator)
        assert client.post("users", new_user(), format="json").status_code == 201
        assert client.get("users").status_code == 403

    def test_staff_without_permissions(self, db):
        client = client_for(make_staff("nobody", superuser=False))
        make_customer("x@example.com")
        assert client.get("users").json() == DENIED
        assert client.get("users/x@example.com/").status_code == 403

    def test_staff_cannot_use_the_customer_mount(self, admin_user):
        client = client_for(admin_user)
        client.prefix = CUSTOMER_PREFIX
        assert client.get("users/current").status_code == 401
        assert client.get("users").status_code == 401
