"""Request ids and the JSON request log: echoed ids, refused hostile ids, no secrets in any log line."""

import json
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk.branches.views import BranchViewSet
from diamantedesk.request_log import RequestIdFilter
from tests.conftest import STAFF_PREFIX, client_for
from tests.factories import make_customer
from wsse_auth.client import make_header

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def logs(caplog):
    """Every log record, those of desk.requests (which does not propagate to the root logger) included."""
    request_logger = logging.getLogger("desk.requests")
    request_logger.addHandler(caplog.handler)
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.DEBUG)
    yield caplog
    request_logger.removeHandler(caplog.handler)


def request_lines(caplog):
    """The parsed JSON lines of desk.requests."""
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "desk.requests"]


def test_a_sane_request_id_is_echoed_and_logged(api, logs):
    response = api.get("branches", HTTP_X_REQUEST_ID="lb-7f3a.9_Z")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.9_Z"
    assert request_lines(logs)[-1]["request_id"] == "lb-7f3a.9_Z"


def test_a_request_id_is_generated_when_none_is_given(client, logs):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert GENERATED_ID.match(first) and GENERATED_ID.match(second)
    assert first != second
    assert [line["request_id"] for line in request_lines(logs)] == [first, second]


@pytest.mark.parametrize(
    "hostile",
    [
        "two words",
        'quote"s',
        "new\nline",
        "{json}",
        "<script>alert(1)</script>",
        "x" * 129,
        "ünïcode",
        "",
    ],
    ids=["space", "quote", "newline", "braces", "markup", "too-long", "non-ascii", "empty"],
)
def test_a_hostile_request_id_is_replaced(client, logs, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert GENERATED_ID.match(response["X-Request-ID"])
    line = request_lines(logs)[-1]
    assert line["request_id"] == response["X-Request-ID"]
    if hostile:
        assert hostile not in logs.text


def test_the_longest_sane_request_id_is_kept(client):
    given = "a" * 128
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


def test_a_log_line_has_the_request_and_the_principal_but_no_secret(admin_user, logs):
    api_key = admin_user.api_keys.first().key
    header = make_header(admin_user.username, api_key)
    api = client_for(admin_user)
    response = api.post(
        "branches",
        {"name": "Logged Branch", "description": "body-marker-5521"},
        format="json",
        HTTP_X_WSSE=header,
    )
    assert response.status_code == 201, response.content
    line = request_lines(logs)[-1]
    assert set(line) == {"ts", "request_id", "method", "path", "route", "status", "duration_ms", "principal"}
    assert line["method"] == "POST"
    assert line["path"] == f"{STAFF_PREFIX}/branches"
    assert line["route"] == "staff:branches-list"
    assert line["status"] == 201
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["principal"] == f"oro_{admin_user.pk}"
    assert line["request_id"] == response["X-Request-ID"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line["ts"])
    digest = re.search(r'PasswordDigest="([^"]+)"', header)[1]
    nonce = re.search(r'Nonce="([^"]+)"', header)[1]
    for secret in (header, digest, nonce, api_key, "body-marker-5521"):
        assert secret not in logs.text


def test_a_customer_is_logged_by_person_id(logs):
    customer = make_customer()
    response = client_for(customer).get("branches")
    assert response.status_code == 200
    assert request_lines(logs)[-1]["principal"] == f"diamante_{customer.pk}"


def test_a_refused_header_is_neither_logged_nor_a_principal(admin_user, client, logs):
    header = make_header(admin_user.username, "0" * 40)
    response = client.get(f"{STAFF_PREFIX}/branches", HTTP_X_WSSE=header)
    assert response.status_code == 401
    line = request_lines(logs)[-1]
    assert line["status"] == 401 and line["principal"] is None
    assert header not in logs.text
    assert re.search(r'PasswordDigest="([^"]+)"', header)[1] not in logs.text


def test_probes_log_at_debug_and_other_requests_at_info(client, logs):
    client.get("/healthz")
    client.get("/no-such-page")
    levels = [record.levelno for record in logs.records if record.name == "desk.requests"]
    assert levels == [logging.DEBUG, logging.INFO]


def test_a_server_error_is_logged_at_error_with_its_request_id(api, logs, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(BranchViewSet, "list", explode)
    response = api.get("branches")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    line_record = [record for record in logs.records if record.name == "desk.requests"][-1]
    assert line_record.levelno == logging.ERROR
    # The traceback logged inside the view carries the same id, so the two can be matched up.
    error_records = [record for record in logs.records if record.name == "desk.api"]
    assert error_records and error_records[0].request_id == request_id


def test_django_request_warnings_carry_the_request_id(client, logs):
    response = client.get("/no-such-page", HTTP_X_REQUEST_ID="trace-404")
    assert response.status_code == 404
    warnings = [record for record in logs.records if record.name == "django.request"]
    assert warnings and warnings[0].request_id == "trace-404"


def test_long_paths_are_cut_in_the_log(client, logs):
    client.get("/" + "p" * 5000)
    assert len(request_lines(logs)[-1]["path"]) == 2048


def test_logging_and_metrics_add_no_queries(api, settings):
    def queries_of_a_list():
        with CaptureQueriesContext(connection) as captured:
            assert api.get("branches").status_code == 200
        return len(captured)

    queries_of_a_list()  # The first signed request also records when the key was last used.
    with_ops = queries_of_a_list()
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("diamantedesk.")]
    assert queries_of_a_list() == with_ops


def test_metrics_and_liveness_make_no_queries(client):
    with CaptureQueriesContext(connection) as captured:
        client.get("/healthz")
        client.get("/metrics")
    assert len(captured) == 0
