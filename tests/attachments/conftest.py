"""A ticket and a comment to attach files to."""

import pytest

from tests.attachments.factories import make_comment, make_ticket


@pytest.fixture
def ticket(admin_user):
    return make_ticket(admin_user)


@pytest.fixture
def comment(ticket, admin_user):
    return make_comment(ticket, admin_user)
