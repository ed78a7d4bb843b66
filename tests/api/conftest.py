"""Fixtures of the plumbing tests."""

import pytest
from django.test import Client


@pytest.fixture(scope="module")
def document():
    """The document as a client fetches it, in JSON."""
    response = Client().get("/api/schema?format=json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()
