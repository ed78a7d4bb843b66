"""Tickets through the shared resource cases."""

from desk.tickets.models import TICKET_NOT_FOUND
from tests.api.resource_tests import ResourceTests
from tests.tickets.factories import make_ticket, ticket_body


class TestTicketResource(ResourceTests):
    collection = "tickets"
    entity = "Ticket"
    not_found = TICKET_NOT_FOUND

    def make_row(self, world, index):
        reporter = world.customer if index % 2 == 0 else world.other
        return make_ticket(reporter, world.branch, subject=f"Ticket {index}")

    def create_body(self, world):
        return ticket_body(world.branch, world.customer)

    def update_body(self, world):
        return {"subject": "Renamed"}, ("subject", "Renamed")

    def customer_reaches(self, world, row):
        return row.reporter_customer_id == world.customer.pk
