"""ASGI entry point for gunicorn's asgi worker: the whole request is read on the event loop first.

A slow or stalled client so costs a coroutine, never the worker: the Django (WSGI) application runs
only once the body is complete, through asgiref's adapter, one thread hop per request. (Django's own
ASGI handler hops threads for every synchronous middleware and signal receiver: several times slower.)
"""

import json
import os

from asgiref.wsgi import WsgiToAsgi
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


django_application = WsgiToAsgi(closing(get_wsgi_application()))

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
    replayed = False

    async def receive_complete_body():
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

    return await django_application(scope, receive_complete_body, send)
