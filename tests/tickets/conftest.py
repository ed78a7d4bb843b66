"""Fixtures of the ticket tests."""

import pytest

from tests.tickets.factories import make_branch


@pytest.fixture
def branch(db):
    """The branch most tests file their tickets in."""
    return make_branch("Branch B", key="BRANCHB")
