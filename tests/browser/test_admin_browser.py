"""The admin in headless Chromium: log in, add a branch, a ticket and a comment, make a key, use it on the API."""

import base64
import io
import json
import os
import re
import urllib.request

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from desk.tickets.models import Ticket
from desk.users.models import User
from tests.factories import stored_key
from wsse_auth.client import make_header

# Debian's chromium, which `make test` installs when missing; Playwright's browser downloads are unused.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KEY = re.compile(r"\b[0-9a-f]{40}\b")
TICKET_CHANGE_URL = re.compile(r"/admin/tickets/ticket/(\d+)/change/$")

# live_server answers from another thread, so the data must be committed for it to see.
pytestmark = pytest.mark.django_db(transaction=True)


def choose(page, field, search, label):
    """Pick a value in an admin autocomplete (select2) widget by typing part of it."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=label).click()
    expect(page.locator(f"#select2-id_{field}-container")).to_contain_text(label)


def api(base_url, method, path, username, api_key, body=None):
    """A WSSE-signed request to the staff mount, as an API client sends it; the decoded JSON answer."""
    request = urllib.request.Request(
        f"{base_url}/api/rest/latest/desk/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "X-WSSE": make_header(username, api_key),
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def png_base64():
    output = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 120, 200)).save(output, format="PNG")
    return base64.b64encode(output.getvalue()).decode()


def test_admin_workflow_ends_in_a_working_api_key(live_server, tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium, or apt-get install chromium."
        )
    root = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    base = live_server.url

    # The ORM stays outside this block: Playwright runs an event loop in this thread, and Django refuses
    # synchronous queries beside one.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)

            page.goto(f"{base}/admin/")
            page.fill("#id_username", "root")
            page.fill("#id_password", "pw-root-123")
            page.click("input[type=submit]")
            expect(page.locator("#site-name")).to_be_visible()
            expect(page.locator("body")).to_contain_text("Tickets")

            page.goto(f"{base}/admin/branches/branch/add/")
            page.fill("#id_name", "Browser Support")
            page.click("input[name=_save]")
            expect(page.locator(".messagelist .success")).to_contain_text("BS: Browser Support")

            page.goto(f"{base}/admin/tickets/ticket/add/")
            choose(page, "branch", "Browser", "BS: Browser Support")
            page.fill("#id_subject", "Printer on fire")
            page.fill("#id_description", "Smoke comes out of tray 2.")
            page.select_option("#id_priority", "high")
            choose(page, "reporter_user", "root", "root")
            page.click("input[name=_continue]")
            expect(page.locator(".messagelist .success")).to_contain_text("BS-1: Printer on fire")
            ticket_id = int(TICKET_CHANGE_URL.search(page.url)[1])
            expect(page.locator(".field-key .readonly")).to_have_text("BS-1")

            page.click("#comments-group .add-row a")
            page.fill("#id_comments-0-content", "A technician is on the way.")
            page.click("input[name=_continue]")
            expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
            expect(page.locator("#comments-0 .field-author .readonly")).to_have_text("root (staff)")

            page.goto(f"{base}/admin/users/user/{root.pk}/change/")
            page.click("#api_keys-group .add-row a")
            page.fill("#id_api_keys-0-label", "browser test")
            page.click("input[name=_continue]")
            message = page.locator(".messagelist .warning").inner_text()
            page.screenshot(path=tmp_path / "user-with-new-key.png", full_page=True)
            (api_key,) = KEY.findall(message)
            expect(page.locator("#api_keys-group")).not_to_contain_text(api_key)

            status, ticket = api(base, "GET", f"tickets/{ticket_id}", "root", api_key)
            assert status == 200
            assert (ticket["subject"], ticket["key"], ticket["priority"]) == (
                "Printer on fire",
                "BS-1",
                "high",
            )
            assert ticket["reporter"] == f"oro_{root.pk}"
            assert [c["content"] for c in ticket["comments"]] == ["A technician is on the way."]

            status, created = api(
                base,
                "POST",
                f"tickets/{ticket_id}/attachments",
                "root",
                api_key,
                {"attachmentsInput": [{"filename": "tray.png", "content": png_base64()}]},
            )
            assert status == 201
            page.goto(f"{base}/admin/tickets/ticket/{ticket_id}/change/")
            thumbnail = page.locator('#attachments-group img[alt="tray.png"]')
            expect(thumbnail).to_be_visible()
            assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 100
            page.screenshot(path=tmp_path / "ticket.png", full_page=True)

            page.goto(f"{base}/admin/tickets/ticket/")
            row = page.locator("#result_list tbody tr")
            expect(row).to_have_count(1)
            expect(row).to_contain_text("BS-1")
            expect(row.locator(".field-comment_count")).to_have_text("1")
            page.screenshot(path=tmp_path / "tickets.png", full_page=True)
        finally:
            browser.close()

    ticket = Ticket.objects.get(pk=ticket_id)
    assert (ticket.key, ticket.reporter, ticket.branch.key) == ("BS-1", root, "BS")
    assert ticket.comments.get().author == root
    assert ticket.attachments.get().pk == created[0]["id"]
    assert stored_key(api_key).last_used_at is not None
