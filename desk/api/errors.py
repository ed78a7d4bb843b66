"""The one error shape, `{"error": ..., "errors": {...}}`, for every failure the API can give."""

import logging

import redis
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from desk.core.http import json_error

# One message for a missing header, an unknown user and a wrong digest alike, so none reveals which.
from wsse_auth.tokens import AUTHENTICATION_FAILED

logger = logging.getLogger("desk.api")

NOT_ENOUGH_PERMISSIONS = "Not enough permissions."


class NotFoundError(exceptions.NotFound):
    """A 404 whose message names what was not found, exactly as the contract words it."""


RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(exceptions.APIException):
    """503 with Retry-After: a service the request needs (database, nonce store) does not answer."""

    status_code = 503
    default_detail = "Service unavailable. Try again later."
    wait = RETRY_AFTER_SECONDS


DATABASE_DOWN = "Service unavailable: the database does not answer. Try again later."
# What a database or Redis client raises when its server is down, unreachable or too slow; anything else
# (a constraint, a bad query) is a bug, and stays a 500.
OUTAGES = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)


def outage_error(exc):
    """The 503 for an exception that means a service is down, else None."""
    if isinstance(exc, OUTAGES):
        logger.warning("Service unavailable: %s: %s", type(exc).__name__, exc)
        return ServiceUnavailable(
            DATABASE_DOWN if isinstance(exc, OperationalError | InterfaceError) else None
        )
    return None


def _first_message(errors):
    """The first message of a DRF error structure, prefixed with its field name where it has one."""
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            if field in ("non_field_errors", "__all__") or not message:
                return message
            return f"{field}: {message}"
        return ""
    if isinstance(errors, list):
        return _first_message(errors[0]) if errors else ""
    return str(errors)


def _flat_messages(detail, prefix=""):
    """A field's messages as one list; those of a list item or a nested key name it (`Item 2: ...`)."""
    if isinstance(detail, dict):
        return [
            message
            for key, value in detail.items()
            for message in _flat_messages(value, f"{prefix}{_item_label(key)}: ")
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in _flat_messages(item, prefix)]
    return [f"{prefix}{detail}" if prefix else detail]


def _item_label(key):
    """`Item 2` for a list index, the key itself for a nested field."""
    return f"Item {key}" if isinstance(key, int) else str(key)


def validation_response(errors):
    """400 with the first message as `error` and all of them under `errors`, as `{field: [messages]}`."""
    if isinstance(errors, list) and len(errors) == 1 and not isinstance(errors[0], dict | list):
        return Response({"error": str(errors[0])}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(errors, dict):
        errors = {field: _flat_messages(detail) for field, detail in errors.items()}
    body = {"error": _first_message(errors) or "Validation failed."}
    if isinstance(errors, dict) and set(errors) - {"non_field_errors", "__all__"}:
        body["errors"] = errors
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    """Turn any exception raised by a view into the contract's error response."""
    exc = outage_error(exc) or exc
    if isinstance(exc, DjangoValidationError):
        return validation_response(as_serializer_error(exc))
    if isinstance(exc, exceptions.ValidationError):
        return validation_response(exc.detail)
    if isinstance(exc, RequestDataTooBig):
        return Response({"error": f"Request body is too large: {exc}"}, status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response({"error": f"Bad request: {exc}"}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(NOT_ENOUGH_PERMISSIONS)

    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.NotAuthenticated):
            message = AUTHENTICATION_FAILED
        elif isinstance(exc, exceptions.PermissionDenied):
            message = NOT_ENOUGH_PERMISSIONS
        else:
            message = exc.detail if isinstance(exc.detail, str) else _first_message(exc.detail)
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response({"error": str(message)}, status=exc.status_code, headers=headers)

    view = context.get("view")
    logger.exception("Unhandled error in %s", type(view).__name__ if view else "view")
    return Response({"error": "Internal server error."}, status=500)


def json_not_found(request, exception=None):
    """Django's 404 page for URLs no route matches, in the API's shape."""
    return json_error(404, "Not found.")


def outage_response(exc):
    """The 503 JSON response for an outage seen outside DRF (admin, downloads), else None."""
    error = outage_error(exc)
    if error is None:
        return None
    return json_error(503, str(error.detail), {"Retry-After": str(error.wait)})


def json_server_error(request):
    """Django's 500 page, in the API's shape and without a traceback."""
    return json_error(500, "Internal server error.")


def json_bad_request(request, exception=None):
    """Django's 400 page (e.g. a disallowed Host), in the API's shape."""
    return json_error(400, "Bad request.")
