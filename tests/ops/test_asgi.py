"""The ASGI entry point: the body is read whole within the limit before Django runs; stalls answer JSON."""

import asyncio
import json
import os

import pytest
from asgiref.sync import sync_to_async
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import connections

from desk.attachments.links import download_path
from diamantedesk.asgi import BATCH_BYTES, INCOMPLETE_BODY, application
from tests.conftest import STAFF_PREFIX
from tests.factories import make_attachment, make_staff, make_ticket
from wsse_auth.client import make_header
from wsse_auth.models import ApiKey

# Django runs in another thread here, as under gunicorn, and reads only committed data.
pytestmark = pytest.mark.django_db(transaction=True)


def call(method, path, messages, headers=(), sent=None, on_send=None):
    """Run one request through the application; the status, headers and decoded body sent back.

    `sent` collects the messages as the application sent them; `on_send` sees each one first.
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent, queue = [] if sent is None else sent, list(messages)

    async def receive():
        if queue:
            return queue.pop(0)
        await asyncio.sleep(3600)  # a client that stays connected and silent

    async def send(message):
        if on_send is not None:
            on_send(message)
        sent.append(message)

    async def run():
        try:
            await asyncio.wait_for(application(scope, receive, send), timeout=30)
        finally:
            # Django ran in the adapter's thread; its connection would outlive the test database.
            await sync_to_async(connections.close_all)()

    asyncio.run(run())
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def chunk(data, more=False):
    return {"type": "http.request", "body": data, "more_body": more}


def test_a_plain_request_reaches_django():
    status, headers, body = call("GET", "/healthz", [chunk(b"")])
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert headers[b"content-type"] == b"application/json"


def test_a_body_in_several_chunks_reaches_django_whole():
    make_staff("admin")
    key = ApiKey.objects.get().key
    data = json.dumps({"name": "Chunked Branch", "description": "x" * 5000}).encode()
    parts = [chunk(data[:10], True), chunk(data[10:4000], True), chunk(data[4000:])]
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(data)).encode()),
        (b"x-wsse", make_header("admin", key).encode()),
    ]
    status, _, body = call("POST", f"{STAFF_PREFIX}/branches", parts, headers)
    assert status == 201, body
    assert json.loads(body)["name"] == "Chunked Branch"


def test_a_body_that_stops_short_is_a_json_400():
    headers = [(b"content-type", b"application/json"), (b"content-length", b"100")]
    status, response_headers, body = call(
        "POST", f"{STAFF_PREFIX}/branches", [chunk(b'{"name": ', True), {"type": "http.disconnect"}], headers
    )
    assert (status, json.loads(body)) == (400, {"error": INCOMPLETE_BODY})
    assert response_headers[b"content-type"] == b"application/json"


def test_a_declared_length_over_the_limit_is_413_before_anything_is_read(settings):
    settings.DESK_MAX_BODY_BYTES = 1000
    status, _, body = call("POST", f"{STAFF_PREFIX}/branches", [], [(b"content-length", b"1001")])
    assert (status, json.loads(body)) == (
        413,
        {"error": "Request body is too large: the limit is 1000 bytes."},
    )


def test_a_chunked_body_over_the_limit_is_413(settings):
    settings.DESK_MAX_BODY_BYTES = 1000
    parts = [chunk(b"x" * 600, True), chunk(b"x" * 600, True)]
    status, _, body = call("POST", f"{STAFF_PREFIX}/branches", parts, [(b"transfer-encoding", b"chunked")])
    assert (status, json.loads(body)) == (
        413,
        {"error": "Request body is too large: the limit is 1000 bytes."},
    )


@pytest.mark.parametrize("length", [b"abc", b"-1", b"\xef\xbc\x91"])
def test_a_bad_content_length_is_400(length):
    status, _, body = call("POST", f"{STAFF_PREFIX}/branches", [], [(b"content-length", length)])
    assert (status, json.loads(body)) == (400, {"error": "Invalid Content-Length header."})


def test_lifespan_is_acknowledged():
    messages, sent = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}], []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(application({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_every_request_ends_with_request_finished():
    # asgiref's adapter never closes the WSGI response; Django's end-of-request work hangs on that.
    finished = []

    def receiver(**kwargs):
        finished.append(True)

    request_finished.connect(receiver)
    try:
        call("GET", "/healthz", [chunk(b"")])
        call("GET", f"{STAFF_PREFIX}/branches", [chunk(b"")])
    finally:
        request_finished.disconnect(receiver)
    assert finished == [True, True]


def test_a_small_answer_is_sent_whole_in_one_message():
    sent = []
    status, _, _ = call("GET", "/healthz", [chunk(b"")], sent=sent)
    assert status == 200
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["more_body"] is False


def stored_file(size):
    """An attachment whose file holds `size` random bytes, and those bytes."""
    attachment = make_attachment(make_ticket(make_staff()))
    data = os.urandom(size)
    saved = attachment.file.storage.save(attachment.file.name, ContentFile(data))
    assert saved == attachment.file.name
    return attachment, data


def test_a_large_answer_arrives_whole_in_batches():
    attachment, data = stored_file(3 * BATCH_BYTES + 123)
    sent, finished = [], []
    request_finished.connect(receiver := lambda **kwargs: finished.append(True))
    try:
        status, _, body = call("GET", download_path(attachment), [chunk(b"")], sent=sent)
    finally:
        request_finished.disconnect(receiver)
    assert (status, body == data, finished) == (200, True, [True])
    bodies = [message for message in sent if message["type"] == "http.response.body"]
    assert 4 <= len(bodies) <= 5, [len(message["body"]) for message in bodies]
    assert all(len(message["body"]) < BATCH_BYTES + 64 * 1024 for message in bodies)
    assert [message["more_body"] for message in bodies] == [True] * (len(bodies) - 1) + [False]


def test_a_client_that_leaves_mid_answer_still_ends_the_request():
    attachment, _ = stored_file(3 * BATCH_BYTES)
    finished = []

    def leave_after_the_first_batch(message):
        if message["type"] == "http.response.body":
            raise OSError("the client went away")

    request_finished.connect(receiver := lambda **kwargs: finished.append(True))
    try:
        with pytest.raises(OSError):
            call("GET", download_path(attachment), [chunk(b"")], on_send=leave_after_the_first_batch)
    finally:
        request_finished.disconnect(receiver)
    assert finished == [True]
