"""Filter errors quote the client's value as given, whatever characters it holds."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DATE_FILTERS = {
    "createdAfter": "created_after",
    "createdBefore": "created_before",
    "updatedAfter": "updated_after",
    "updatedBefore": "updated_before",
}


@pytest.mark.parametrize("value", ["%", "%s", "%(value)s", "%%", "100%d"])
@pytest.mark.parametrize("path", ["branches", "tickets", "tickets/search?q=a&", "comments", "users"])
def test_percent_in_a_date_filter_is_400_quoting_it(api, path, value):
    separator = "" if path.endswith("&") else "?"
    for name, field in DATE_FILTERS.items():
        response = api.get(f"{path}{separator}{name}={value.replace('%', '%25')}")
        assert response.status_code == 400, (path, name, response.content[:200])
        message = f'"{value}" is not a valid date; use ISO 8601 or YYYY-MM-DD HH:MM:SS.'
        assert response.json()["errors"] == {field: [message]}


@pytest.mark.parametrize("path", ["branches", "tickets", "tickets/search?q=a&", "comments"])
def test_percent_in_a_date_filter_is_400_for_a_customer(customer, path):
    separator = "" if path.endswith("&") else "?"
    response = client_for(customer).get(f"{path}{separator}createdAfter=%25")
    assert response.status_code == 400, response.content[:200]
    assert (
        response.json()["error"]
        == 'created_after: "%" is not a valid date; use ISO 8601 or YYYY-MM-DD HH:MM:SS.'
    )
