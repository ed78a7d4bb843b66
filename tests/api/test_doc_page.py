"""The Swagger UI page at /api/doc: its own assets only, and Try it out in a real browser."""

import io
import json
import os
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from playwright.sync_api import sync_playwright

from tests.factories import make_customer
from tests.tickets.factories import make_branch


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files collected as `make run` collects them, into a folder of this module's own."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


class TestDocPage:
    def test_swagger_ui_loads_only_this_servers_assets(self, settings, static_root):
        settings.STATIC_ROOT = static_root
        client = Client()  # its middleware, whitenoise included, starts with these settings
        page = client.get("/api/doc")
        assert page.status_code == 200
        assert page["Content-Type"].startswith("text/html")
        html = page.content.decode()
        assert "http://" not in html and "https://" not in html
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert len(assets) == 4  # favicon, stylesheet, bundle, preset
        assert '"/api/schema"' in html
        for asset in assets:
            assert asset.startswith("/static/") and not asset.startswith("//"), asset
            fetched = client.get(asset)
            assert fetched.status_code == 200, asset
            body = b"".join(fetched.streaming_content) if fetched.streaming else fetched.content
            assert len(body) > 0, asset
        assert (
            json.loads(re.search(r"const swaggerSettings = (\{.*?\});", html, re.S)[1])["validatorUrl"]
            is None
        )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def pasted_header(*args):
    """The value `wsse_header ... | cut -d' ' -f2-` prints, as a person pastes it into Authorize."""
    out = io.StringIO()
    call_command("wsse_header", *args, stdout=out)
    return out.getvalue().strip().split(" ", 1)[1]


def authorize(page, scheme, value):
    """Paste a header value into one scheme of Swagger UI's Authorize dialog."""
    page.click("button.authorize")
    box = page.locator(".modal-ux .auth-container", has_text=scheme)
    box.locator("input[type=text]").fill(value)
    box.locator("button.authorize").click()
    page.locator(".modal-ux button.btn-done").first.click()


def try_out(page, tag, summary):
    """Open an operation's tag and the operation itself, and press Try it out."""
    page.locator(".opblock-tag", has_text=tag).first.click()
    operation = page.locator(".opblock", has_text=summary).first
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    return operation


def execute(operation):
    """Press Execute; the live response's status and everything shown about it."""
    operation.locator("button.execute").click()
    live = operation.locator(".live-responses-table tbody tr.response").first
    live.wait_for()
    return live.locator(".response-col_status").inner_text().strip(), live.inner_text()


@pytest.mark.django_db(transaction=True)
def test_try_it_out_in_a_browser_with_pasted_headers(live_server, admin_user):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does."
        )
    make_branch()
    make_customer()
    # Made before the browser starts: Playwright's event loop in this thread rules out ORM calls beside it.
    staff, customer = pasted_header("admin"), pasted_header("--customer", "customer@example.com")
    elsewhere = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(15_000)
            page.on(
                "request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url)
            )
            page.goto(f"{live_server.url}/api/doc")
            page.locator(".opblock-tag").first.wait_for()
            tags = [text.split("\n")[0] for text in page.locator(".opblock-tag").all_inner_texts()]
            assert tags[0] == "staff: branches" and "customer: current customer" in tags

            authorize(page, "StaffWSSE", staff)
            branches = try_out(page, "staff: branches", "List branches")
            status, shown = execute(branches)
            assert status == "200", shown
            assert '"name": "Support"' in shown and "x-total: 1" in shown.lower()
            # The same header again: the nonce is spent, as the page warns.
            status, shown = execute(branches)
            assert status == "401" and "Previously used nonce detected." in shown

            authorize(page, "CustomerWSSE", customer)
            status, shown = execute(try_out(page, "customer: current customer", "The calling customer"))
            assert status == "200" and "customer@example.com" in shown
        finally:
            browser.close()
    assert elsewhere == []


class TestOtherMethods:
    @pytest.mark.parametrize("path", ["/api/doc", "/api/schema"])
    def test_options_answers_json_naming_the_methods(self, path):
        response = Client().options(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Allow"] == "GET, HEAD, OPTIONS"

    @pytest.mark.parametrize("path", ["/api/doc", "/api/schema"])
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writes_are_the_api_json_405(self, path, method):
        response = getattr(Client(), method)(path)
        assert response.status_code == 405
        assert response.json() == {"error": f'Method "{method.upper()}" not allowed.'}
