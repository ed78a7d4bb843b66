"""Factories for ticket tests (branches, tickets numbered by the service, comments, attachments) and the
answers they expect."""

from tests.factories import LONG_AGO, age, make_attachment, make_branch, make_comment, make_ticket

__all__ = ["LONG_AGO", "age", "make_attachment", "make_branch", "make_comment", "make_ticket", "ticket_body"]

TICKET_NOT_FOUND = {"error": "Ticket loading failed, ticket not found."}
BRANCH_NOT_FOUND = {"error": "Branch loading failed. Branch not found."}
USER_NOT_FOUND = {"error": "User loading failed. User not found"}
FORBIDDEN = {"error": "Not enough permissions."}
STATUSES = "new, open, pending, in_progress, closed, on_hold"


def ticket_body(branch, reporter, /, **fields):
    """A complete create body."""
    return {
        "branch": branch.pk,
        "subject": "Test Ticket",
        "description": "Test Description",
        "status": "open",
        "priority": "medium",
        "source": "phone",
        "reporter": reporter.person_id,
        **fields,
    }
