"""The cases every resource answers alike, written once; each resource's tests configure them.

As NetBox's `utilities/testing/api.py`: a subclass names its collection, how to make rows and bodies,
and which rows a customer reaches; the base lists, reads in every format, creates, updates, deletes,
counts queries and checks customer visibility the same way for all.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import make_branch, make_customer, make_staff


class ResourceTests:
    """Configure with `collection`, `entity`, `not_found` and the hooks below."""

    collection = ""  # "branches"
    entity = ""  # "Branch", as in `Branch does not have "x" property.`
    not_found = ""  # the resource's exact 404 message
    customers_write = False  # whether customers create and update through the customer mount

    def make_row(self, world, index):
        """One row of the resource; `index` tells rows apart."""
        raise NotImplementedError

    def create_body(self, world):
        """A complete create body, as a client sends it."""
        raise NotImplementedError

    def update_body(self, world):
        """A partial update of one field, and the (key, value) the answer then shows."""
        raise NotImplementedError

    def customer_reaches(self, world, row):
        """Whether `world.customer` may see this row."""
        return True

    @pytest.fixture
    def world(self, db):
        staff = make_staff()
        customer, other = make_customer("mine@example.com"), make_customer("other@example.com")
        return SimpleNamespace(
            staff=staff,
            api=client_for(staff),
            customer=customer,
            other=other,
            branch=make_branch(default_assignee=staff),
        )

    def queries(self, client, path):
        """How many queries one signed GET costs."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, response.content
        return len(captured)

    def test_list_is_a_bare_array_counted_in_x_total(self, world):
        rows = [self.make_row(world, index) for index in range(3)]
        response = world.api.get(f"{self.collection}?limit=2")
        assert response.status_code == 200
        assert isinstance(response.json(), list) and len(response.json()) == 2
        total = type(rows[0]).objects.visible_to(world.staff).count()
        assert response["X-Total"] == str(total)
        assert 'rel="next"' in response["Link"]

    def test_list_cost_does_not_grow_with_rows(self, world):
        self.make_row(world, 0)
        self.queries(world.api, self.collection)  # the key's first use records its last-used time
        one = self.queries(world.api, self.collection)
        for index in range(1, 30):
            self.make_row(world, index)
        assert self.queries(world.api, self.collection) == one

    @pytest.mark.parametrize("suffix", ["", ".json", "/"])
    def test_retrieve_by_id_with_each_json_spelling(self, world, suffix):
        row = self.make_row(world, 0)
        response = world.api.get(f"{self.collection}/{row.pk}{suffix}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json()["id"] == row.pk

    def test_retrieve_as_xml(self, world):
        row = self.make_row(world, 0)
        response = world.api.get(f"{self.collection}/{row.pk}.xml")
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<result>')
        assert f"<id>{row.pk}</id>".encode() in response.content

    def test_an_unknown_id_is_404_with_the_resources_message(self, world):
        response = world.api.get(f"{self.collection}/987654")
        assert (response.status_code, response.json()) == (404, {"error": self.not_found})

    def test_create_answers_201_with_the_entity_at_its_location(self, world):
        response = world.api.post(self.collection, self.create_body(world), format="json")
        assert response.status_code == 201, response.content
        location = urlsplit(response["Location"]).path
        assert location.endswith(f"/{self.collection}/{response.json()['id']}")
        assert world.api.get(location).json() == response.json()

    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_put_and_patch_are_both_partial(self, world, method):
        row = self.make_row(world, 0)
        before = world.api.get(f"{self.collection}/{row.pk}").json()
        body, (key, value) = self.update_body(world)
        response = getattr(world.api, method)(f"{self.collection}/{row.pk}", body, format="json")
        assert response.status_code == 200, response.content
        after = response.json()
        assert after[key] == value
        untouched = {name for name in before if name not in (key, "updated_at")}
        assert {name: after.get(name) for name in untouched} == {name: before[name] for name in untouched}

    def test_an_unknown_property_on_update_is_400(self, world):
        row = self.make_row(world, 0)
        response = world.api.patch(f"{self.collection}/{row.pk}", {"colour": "red"}, format="json")
        assert (response.status_code, response.json()) == (
            400,
            {"error": f'{self.entity} does not have "colour" property.'},
        )

    def test_delete_is_204_and_then_the_row_is_not_found(self, world):
        row = self.make_row(world, 0)
        response = world.api.delete(f"{self.collection}/{row.pk}")
        assert (response.status_code, response.content) == (204, b"")
        assert world.api.get(f"{self.collection}/{row.pk}").status_code == 404

    def test_a_customer_reaches_exactly_its_rows(self, world):
        rows = [self.make_row(world, index) for index in range(4)]
        reached = sorted(row.pk for row in rows if self.customer_reaches(world, row))
        own = client_for(world.customer)
        listed = own.get(self.collection)
        if listed.status_code == 403:
            assert reached == []
            return
        made = {row.pk for row in rows}
        assert sorted(item["id"] for item in listed.json() if item["id"] in made) == reached
        for row in rows:
            status = own.get(f"{self.collection}/{row.pk}").status_code
            assert (status == 200) == (row.pk in reached), (row.pk, status)
