"""Branches through the shared resource cases."""

from string import ascii_uppercase

from desk.branches.models import BRANCH_NOT_FOUND
from tests.api.resource_tests import ResourceTests
from tests.factories import make_branch


class TestBranchResource(ResourceTests):
    collection = "branches"
    entity = "Branch"
    not_found = BRANCH_NOT_FOUND

    def make_row(self, world, index):
        letters = ascii_uppercase[index % 26] + ascii_uppercase[index // 26]
        return make_branch(f"Branch {letters}", key=f"BR{letters}", default_assignee=world.staff)

    def create_body(self, world):
        return {"name": "Billing Desk", "description": "Invoices", "tags": ["money"]}

    def update_body(self, world):
        return {"description": "Refunds too"}, ("description", "Refunds too")
