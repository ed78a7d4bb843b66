"""Comments through the shared resource cases."""

from desk.comments.models import COMMENT_NOT_FOUND
from tests.api.resource_tests import ResourceTests
from tests.factories import make_comment, make_ticket


def tickets_of(world):
    """A ticket of the calling customer and one of another customer, made once per test."""
    if not hasattr(world, "own_ticket"):
        world.own_ticket = make_ticket(world.customer, world.branch)
        world.other_ticket = make_ticket(world.other, world.branch)
    return world.own_ticket, world.other_ticket


class TestCommentResource(ResourceTests):
    collection = "comments"
    entity = "Comment"
    not_found = COMMENT_NOT_FOUND

    def make_row(self, world, index):
        own, other = tickets_of(world)
        # In turn: public on the customer's ticket, private on it, public on someone else's.
        ticket, private = [(own, False), (own, True), (other, False)][index % 3]
        return make_comment(ticket, world.staff, content=f"Comment {index}", private=private)

    def create_body(self, world):
        return {"content": "On it.", "ticket": tickets_of(world)[0].pk, "author": world.staff.person_id}

    def update_body(self, world):
        return {"content": "Edited"}, ("content", "Edited")

    def customer_reaches(self, world, row):
        return row.ticket_id == tickets_of(world)[0].pk and not row.private
