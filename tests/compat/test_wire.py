"""Over real HTTP: a redirect-following client on a moved ticket, and an `Expect: 100-continue` upload."""

import base64
import io
import os
import socket
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from desk.tickets.services import ticket_update
from tests.compat import signers
from tests.compat.conftest import PORTAL_API, SHOP_API
from tests.compat.php import http_build_query
from tests.factories import make_ticket

# live_server answers from another thread, so the data must be committed for it to see.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_client_following_redirects_gets_the_301_and_no_401(live_server, portal_customer, branches):
    ticket = make_ticket(portal_customer, branches[0])
    ticket_update(ticket=ticket, branch=branches[1])
    secret = portal_customer.api_keys.get().key
    # python-requests follows a Location by default, resending the same single-use header.
    response = requests.get(
        f"{live_server.url}{PORTAL_API}desk/tickets/GS-1",
        headers={"X-WSSE": signers.portal(portal_customer.email, secret)},
        timeout=10,
    )
    assert response.status_code == 301
    assert response.history == []
    assert response.headers["X-Location"] == f"{live_server.url}{PORTAL_API}desk/tickets/BILL-1"
    assert "Location" not in response.headers and response.content == b""
    again = requests.get(
        response.headers["X-Location"],
        headers={"X-WSSE": signers.portal(portal_customer.email, secret)},
        timeout=10,
    )
    assert again.status_code == 200 and again.json()["key"] == "BILL-1"


def send_expecting_continue(url, headers, body):
    """What libcurl does with a large POST: headers with `Expect: 100-continue`, the body only after 100."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        head = [f"POST {parts.path}?{parts.query} HTTP/1.1", f"Host: {parts.netloc}", "Expect: 100-continue"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        interim = connection.recv(64)
        assert interim.startswith(b"HTTP/1.1 100"), interim
        connection.sendall(body)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 4 + _length(answer):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def _length(answer):
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            return int(line.split(":", 1)[1])
    return 0


def noisy_png_base64(size=48):
    """A PNG that compresses badly, so its upload is well over a kilobyte."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_an_expect_100_continue_upload_from_the_shop(live_server, shop_permissions, branches):
    ticket = make_ticket(shop_permissions, branches[0])
    body = http_build_query({"attachmentsInput": [{"filename": "label.png", "content": noisy_png_base64()}]})
    assert len(body) > 1024  # libcurl 7 sends Expect: 100-continue above this size
    key = shop_permissions.api_keys.get().key
    headers = {
        "Accept": "application/json",
        "Authorization": 'WSSE profile="UsernameToken"',
        "X-WSSE": signers.shop_extension(shop_permissions.username, key),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    url = f"{live_server.url}{SHOP_API}desk/tickets/{ticket.pk}/attachments.json?username=shop"
    answer = send_expecting_continue(url, headers, body.encode())
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 201"), answer[:500]
    assert ticket.attachments.count() == 1
