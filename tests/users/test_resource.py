"""Customers (`users`) through the shared resource cases."""

from desk.users.people import USER_NOT_FOUND
from tests.api.resource_tests import ResourceTests
from tests.factories import make_customer


class TestCustomerResource(ResourceTests):
    collection = "users"
    entity = "User"
    not_found = USER_NOT_FOUND

    def make_row(self, world, index):
        return make_customer(f"row{index}@example.com", "Row", f"Number {index}")

    def create_body(self, world):
        return {"email": "new@example.com", "firstName": "New", "lastName": "User"}

    def update_body(self, world):
        return {"lastName": "Changed"}, ("last_name", "Changed")

    def customer_reaches(self, world, row):
        return False  # customers read only themselves, at users/current
