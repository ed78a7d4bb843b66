"""A database that does not answer gives a JSON 503 with Retry-After, and service resumes by itself."""

import pytest
from django.db import connection

from desk.api.errors import DATABASE_DOWN, RETRY_AFTER_SECONDS
from tests.conftest import client_for
from tests.factories import make_staff

# The test takes the connection away, so it cannot run inside a transaction of its own.
pytestmark = pytest.mark.django_db(transaction=True)


class Unreachable:
    """Points the default connection at a database that cannot be reached, until the block ends."""

    def __init__(self, tmp_path):
        self.broken = {"NAME": str(tmp_path / "missing" / "db.sqlite3")}
        if connection.vendor == "postgresql":
            self.broken = {"HOST": "127.0.0.1", "PORT": "1"}  # nothing listens there: refused at once

    def __enter__(self):
        connection.close()
        self.saved = {name: connection.settings_dict[name] for name in self.broken}
        connection.settings_dict.update(self.broken)

    def __exit__(self, *exc_info):
        connection.close()
        connection.settings_dict.update(self.saved)


def assert_unavailable(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"error": DATABASE_DOWN}


def test_api_requests_are_503_while_the_database_is_away_and_200_after(tmp_path):
    api = client_for(make_staff("admin"))
    assert api.get("branches").status_code == 200
    with Unreachable(tmp_path):
        assert_unavailable(api.get("branches"))
        assert_unavailable(api.post("branches", {"name": "Later"}, format="json"))
    assert api.get("branches").status_code == 200
    assert api.post("branches", {"name": "Later"}, format="json").status_code == 201


def test_views_outside_the_api_are_503_too(client, tmp_path):
    with Unreachable(tmp_path):
        assert_unavailable(client.get("/desk/attachments/download/file/" + "0" * 32))
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
