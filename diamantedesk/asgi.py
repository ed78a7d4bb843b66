"""ASGI entry point for gunicorn's asgi worker: the whole request is read on the event loop first.

A slow or stalled client so costs a coroutine, never the worker: the Django (WSGI) application runs
only once the body is complete, in one thread hop per request that also gathers the answer. (asgiref's
adapter hopped back to the event loop for every message it sent, three times for a small answer;
Django's own ASGI handler hops for every synchronous middleware and signal receiver.)
"""

import io
import json
import os

from asgiref.sync import sync_to_async
from asgiref.wsgi import WsgiToAsgiInstance
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")


def closing(wsgi_application):
    """The WSGI application with its response closed once sent, which asgiref's adapter never does.

    Django's `close()` sends `request_finished`: without it uploaded temporary files stay open until
    garbage collection, files of rolled-back attachment writes are never discarded, and database
    connections are not released at the end of the request.
    """

    def application(environ, start_response):
        response = wsgi_application(environ, start_response)
        try:
            yield from response
        finally:
            # Also when the adapter stops iterating early (at Content-Length): the generator is closed
            # as soon as its loop lets go of it, in the same thread.
            response.close()

    return application


# Of an answer this long at most is gathered in the thread before the event loop sends it: a small
# answer goes whole, a file download in pieces of this size.
BATCH_BYTES = 256 * 1024


class OneHop(WsgiToAsgiInstance):
    """asgiref's WSGI adapter for one complete request, its answer sent in batches gathered in the thread."""

    def __init__(self, wsgi_application, body):
        super().__init__(wsgi_application)
        self.body = body
        self.sent = 0

    async def __call__(self, scope, receive, send):
        self.scope = scope
        output = None
        try:
            messages, output = await self.start()
            while True:
                for message in messages:
                    await send(message)
                if output is None:
                    return
                messages, output = await self.gather(output)
        finally:
            if output is not None:  # the client left mid-answer: Django's end of request still runs
                await sync_to_async(output.close)()

    @sync_to_async
    def start(self):
        """Run the application, in the thread every request of this worker runs in; its first batch."""
        try:
            environ = self.build_environ(self.scope, io.BytesIO(self.body))
        except ValueError as error:  # too many duplicate headers
            body = json.dumps({"error": str(error)}).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            return [{"type": "http.response.start", "status": 400, "headers": headers}, _last(body)], None
        return self._gather(iter(self.wsgi_application(environ, self.start_response)))

    @sync_to_async
    def gather(self, output):
        return self._gather(output)

    def _gather(self, output):
        """Up to BATCH_BYTES of the answer as messages, and the output when more of it may follow."""
        parts, size = [], 0
        for chunk in output:
            if self.response_content_length is not None:
                # Never more than the Content-Length the application declared.
                chunk = chunk[: self.response_content_length - self.sent]
            parts.append(chunk)
            self.sent += len(chunk)
            size += len(chunk)
            if self.sent == self.response_content_length:
                output.close()
                break
            if size >= BATCH_BYTES:
                return [*self._start_message(), _more(b"".join(parts))], output
        return [*self._start_message(), _last(b"".join(parts))], None

    def _start_message(self):
        if self.response_started:
            return []
        self.response_started = True
        return [self.response_start]


def _more(body):
    return {"type": "http.response.body", "body": body, "more_body": True}


def _last(body):
    return {"type": "http.response.body", "body": body, "more_body": False}


wsgi_application = closing(get_wsgi_application())

from django.conf import settings  # noqa: E402  (settings are ready only once the application is made)

INCOMPLETE_BODY = "Request body is incomplete: fewer bytes arrived than its Content-Length announced."


def declared_length(scope):
    """The Content-Length header as a number: None when absent, -1 when it is not a number."""
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else -1
    return None


async def answer(send, status, message):
    """Send a complete JSON error response in the API's shape."""
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def lifespan(receive, send):
    """Nothing to start or stop: acknowledge both."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope, receive, send):
    """Read the body within DESK_MAX_BODY_BYTES, then hand the complete request to Django."""
    if scope["type"] == "lifespan":
        return await lifespan(receive, send)
    if scope["type"] != "http":
        return None  # no websockets: the server closes the connection
    limit = settings.DESK_MAX_BODY_BYTES
    length = declared_length(scope)
    if length == -1:
        return await answer(send, 400, "Invalid Content-Length header.")
    if length is not None and length > limit:
        return await answer(send, 413, f"Request body is too large: the limit is {limit} bytes.")

    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client left, or gunicorn's wait for the rest of the body (its timeout) ran out.
            return await answer(send, 400, INCOMPLETE_BODY)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:  # a chunked body announces no length
            return await answer(send, 413, f"Request body is too large: the limit is {limit} bytes.")
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return await OneHop(wsgi_application, b"".join(chunks))(scope, receive, send)
