"""/metrics: Prometheus text that parses, counts by route name, sums across processes, optional token."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import STAFF_PREFIX

pytestmark = pytest.mark.django_db

SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
ROOT = Path(__file__).resolve().parents[2]


def parse(text):
    """Every sample as {(name, frozenset(labels)): value}; fails on any line that is not a sample or comment."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        labels = match["labels"] or ""
        pairs = LABEL.findall(labels)
        assert ",".join(f'{key}="{value}"' for key, value in pairs) == labels, line
        samples[(match["name"], frozenset(pairs))] = float(match["value"])
    return samples


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return parse(response.content.decode())


def requests_total(samples, route, method="GET", status="200"):
    key = ("desk_http_requests_total", frozenset({("method", method), ("route", route), ("status", status)}))
    return samples.get(key, 0.0)


def latency(samples, route, suffix, method="GET", **extra):
    labels = frozenset({("method", method), ("route", route), *extra.items()})
    return samples.get((f"desk_http_request_duration_seconds_{suffix}", labels), 0.0)


def test_requests_are_counted_by_route_name_and_status(api, client):
    before = scrape(client)
    assert api.get("branches").status_code == 200
    assert api.get("branches.xml").status_code == 200
    assert api.get("branches/999999").status_code == 404
    after = scrape(client)
    assert requests_total(after, "staff:branches-list") - requests_total(before, "staff:branches-list") == 2
    detail_404 = requests_total(after, "staff:branches-detail", status="404")
    assert detail_404 - requests_total(before, "staff:branches-detail", status="404") == 1


def test_the_latency_histogram_is_cumulative_and_counts_requests(api, client):
    before = scrape(client)
    api.get("branches")
    after = scrape(client)
    route = "staff:branches-list"
    assert latency(after, route, "count") - latency(before, route, "count") == 1
    assert latency(after, route, "sum") > latency(before, route, "sum")
    buckets = sorted(
        (float(dict(labels)["le"]), value)
        for (name, labels), value in after.items()
        if name == "desk_http_request_duration_seconds_bucket"
        and {("route", route), ("method", "GET")} <= labels
    )
    counts = [value for _, value in buckets]
    assert counts == sorted(counts), "buckets must be cumulative"
    assert buckets[-1] == (float("inf"), latency(after, route, "count"))


def test_raw_paths_and_methods_never_become_labels(client):
    marker = uuid.uuid4().hex
    before = scrape(client)
    client.get(f"/no/such/{marker}")
    client.get(f"{STAFF_PREFIX}/branches/{marker}")
    client.get(f"/static/{marker}.css")
    client.generic("BREW", "/healthz")
    text = client.get("/metrics").content.decode()
    assert marker not in text
    assert 'method="BREW"' not in text
    after = parse(text)

    def grew(route, method="GET", status="404"):
        return requests_total(after, route, method, status) - requests_total(before, route, method, status)

    assert grew("unmatched") == 2
    assert grew("static") == 1
    assert grew("healthz", method="OTHER", status="405") == 1


def test_a_body_refused_before_routing_is_counted_under_its_route(api, client, settings):
    settings.DESK_MAX_BODY_BYTES = 100
    before = scrape(client)
    assert api.post("branches", {"name": "x" * 500}, format="json").status_code == 413
    after = scrape(client)
    route = "staff:branches-list"
    assert requests_total(after, route, "POST", "413") - requests_total(before, route, "POST", "413") == 1


def test_counts_of_other_worker_processes_are_summed(client):
    before = requests_total(scrape(client), "healthz")
    # A second process, as a second gunicorn worker would be, answering three probes.
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "for _ in range(3):\n"
        "    assert Client().get('/healthz').status_code == 200\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "diamantedesk.settings"}
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)
    assert requests_total(scrape(client), "healthz") - before == 3


def test_a_configured_token_is_required(client, settings):
    settings.DESK_METRICS_TOKEN = "scrape-token-7"
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": "Basic scrape-token-7"},
    ):
        response = client.get("/metrics", **headers)
        assert response.status_code == 401
        assert response.json() == {"error": "Metrics need a valid bearer token."}
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-token-7")
