"""`Idempotency-Key` on writes: the first request runs, its answer is kept; a retry gets that answer.

The answer is stored in the transaction of the write itself, so a write that committed always has its
answer kept, even when the worker dies before sending it; a write that rolled back keeps nothing.
"""

import hashlib
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import exceptions

from desk.api.models import IdempotentRequest

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# The headers of an answer a replay repeats, besides its status and body.
KEPT_HEADERS = ("Content-Type", "Location", "X-Location", "ETag")
KEY_CHARACTERS = frozenset(map(chr, range(0x21, 0x7F)))


class KeyConflict(exceptions.APIException):
    status_code = 409
    default_detail = "A request with this Idempotency-Key is still running: retry it later."


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was already used for another request."


class Replay(Exception):
    """The stored answer of a request that already ran; answered as it was, marked as a replay."""

    def __init__(self, stored):
        super().__init__(stored.key)
        self.stored = stored

    def response(self):
        response = HttpResponse(bytes(self.stored.body), status=self.stored.status)
        for name, value in self.stored.headers.items():
            response[name] = value
        response["Idempotency-Replayed"] = "true"
        return response


def fingerprint(request):
    """What makes two requests the same request: method, path with query, and body bytes."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


class IdempotentWrites:
    """For DeskViewSet: claims the key after authentication; `idempotent` stores the answer before commit."""

    _claim = _atomic = None

    def initial(self, request, *args, **kwargs):
        key = request.META.get("HTTP_IDEMPOTENCY_KEY")
        # Read before the parsers stream it, so the fingerprint sees the bytes they parse.
        sent = fingerprint(request._request) if key is not None and request.method in WRITES else None
        super().initial(request, *args, **kwargs)
        if sent is None or request.auth is None:
            return
        if not key or len(key) > 255 or not set(key) <= KEY_CHARACTERS:
            raise exceptions.ValidationError("Idempotency-Key must be 1 to 255 visible ASCII characters.")
        self._claim = claim(request.auth.pk, key, sent)
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return exc.response()
        return super().handle_exception(exc)

    def idempotent(self, response):
        """The final answer, kept with the write and committed with it; nothing kept for a 5xx."""
        claimed, atomic = self._claim, self._atomic
        if claimed is None:
            return response
        self._claim = self._atomic = None
        committed = False
        try:
            try:
                if response.status_code >= 500 or transaction.get_rollback():
                    transaction.set_rollback(True)
                else:
                    keep(claimed, response)
            except BaseException as error:
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
            atomic.__exit__(None, None, None)
            committed = claimed.finished
        finally:
            if not committed:
                release(claimed)  # nothing committed: a retry may run it again
        return response


def claim(api_key_id, key, print_):
    """The claim of a new key; raises Replay, KeyReused or KeyConflict for a key already claimed."""
    now = timezone.now()
    one_in = settings.DESK_IDEMPOTENCY_PURGE_ONE_IN
    if one_in and random.randrange(one_in) == 0:
        IdempotentRequest.objects.filter(
            created_at__lt=now - timedelta(seconds=settings.DESK_IDEMPOTENCY_LIFETIME)
        ).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                api_key_id=api_key_id, key=key, fingerprint=print_, created_at=now
            )
    except IntegrityError:
        pass
    stored = IdempotentRequest.objects.filter(api_key_id=api_key_id, key=key).first()
    if stored is None:  # released in between: claim it afresh
        return claim(api_key_id, key, print_)
    expired = stored.created_at < now - timedelta(seconds=settings.DESK_IDEMPOTENCY_LIFETIME)
    # A worker killed before its commit leaves its claim behind; after a while a retry may take it over.
    abandoned = not stored.finished and stored.created_at < now - timedelta(
        seconds=settings.DESK_IDEMPOTENCY_ABANDONED_AFTER
    )
    if expired or abandoned:
        taken = IdempotentRequest.objects.filter(pk=stored.pk, created_at=stored.created_at).update(
            fingerprint=print_, created_at=now, finished=False, status=None, headers={}, body=b""
        )
        if taken:
            stored.refresh_from_db()
            return stored
        return claim(api_key_id, key, print_)
    if stored.fingerprint != print_:
        raise KeyReused()
    if not stored.finished:
        raise KeyConflict()
    raise Replay(stored)


def keep(claimed, response):
    """Store the answer on the claim, inside the write's own transaction."""
    if hasattr(response, "render"):
        response.render()
    claimed.finished, claimed.status, claimed.body = True, response.status_code, response.content
    claimed.headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    claimed.save(update_fields=["finished", "status", "body", "headers"])


def release(claimed):
    """Give the key back after a write that did not commit."""
    IdempotentRequest.objects.filter(pk=claimed.pk, finished=False).delete()
