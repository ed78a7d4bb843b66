"""Generated requests from the project's own OpenAPI document, signed, on both mounts: documented answers."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import CUSTOMER_PREFIX
from tests.factories import make_branch, make_comment, make_customer, make_staff, make_ticket
from wsse_auth.client import make_header

CUSTOMER_MOUNT = CUSTOMER_PREFIX.replace("latest", "{version}")
# About 1300 requests in `make test` (88 operations); `make fuzz` asks for many more.
EXAMPLES = int(os.environ.get("DESK_FUZZ_EXAMPLES", "15"))
# The same cases on every run of the suite; new ones on every run by hand.
SAME_CASES = "DESK_FUZZ_EXAMPLES" not in os.environ

# Random generation only: the coverage phase alone would send hundreds of cases per operation.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "phases": {
            name: {"enabled": name == "fuzzing"} for name in ("examples", "coverage", "stateful", "fuzzing")
        }
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", get_wsgi_application(), config=CONFIG)
# Each answer's status, media type, headers and body are the ones the document gives for that operation.
AS_DOCUMENTED = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def signers(db):
    # As Django's test client does: the request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield _signers()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _signers():
    staff, customer = make_staff("fuzz-admin"), make_customer("fuzz@example.com")
    # Something for generated ids to find, on both mounts (the customer reported the ticket).
    ticket = make_ticket(customer, branch=make_branch())
    make_comment(ticket, staff)
    make_comment(ticket, customer)
    return {
        "staff": ("fuzz-admin", staff.api_keys.get().key),
        "customer": ("fuzz@example.com", customer.api_keys.get().key),
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=SAME_CASES,
    database=None,  # nothing kept between runs, and no folder left in the work tree
)
def test_every_generated_request_gets_a_documented_answer(case, signers):
    mount = "customer" if case.path.startswith(CUSTOMER_MOUNT) else "staff"
    username, key = signers[mount]
    # A fresh header per request; generated headers are kept beside it.
    case.headers = {**(case.headers or {}), "X-WSSE": make_header(username, key)}
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    case.validate_response(response, checks=AS_DOCUMENTED)
