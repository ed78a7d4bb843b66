"""Rate limits, opt-in: requests per API key, and failed authentications per client address.

Both count in token buckets every host shares (`desk/core/buckets.py`): one runaway integration gets
429s while the others keep their speed, and guessing keys or timing 401s costs a pause per address.
"""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

from desk.core import buckets
from desk.core.http import client_address


class TooManyRequests(exceptions.APIException):
    """429 with `Retry-After`, in the API's error shape."""

    status_code = 429

    def __init__(self, wait):
        super().__init__(f"Too many requests: retry in {wait} second(s).")
        self.wait = wait


class ApiKeyRateThrottle(BaseThrottle):
    """`DESK_RATE_LIMIT` requests per `DESK_RATE_LIMIT_PERIOD` per API key, or the key's own limit."""

    def allow_request(self, request, view):
        api_key = request.auth
        limit = getattr(api_key, "rate_limit", None)
        limit = settings.DESK_RATE_LIMIT if limit is None else limit
        if api_key is None or not limit:
            return True
        outcome = buckets.take(
            f"api-key:{api_key.pk}", capacity=limit, period=settings.DESK_RATE_LIMIT_PERIOD
        )
        request.rate_limit = outcome
        if not outcome.taken:
            raise TooManyRequests(outcome.retry_after)
        return True


def rate_limit_headers(request, response):
    """`RateLimit-Limit`, `-Remaining` and `-Reset` on every answer to a limited key."""
    outcome = getattr(request, "rate_limit", None)
    if outcome is not None:
        response["RateLimit-Limit"] = str(outcome.capacity)
        response["RateLimit-Remaining"] = str(int(outcome.remaining))
        response["RateLimit-Reset"] = str(outcome.reset)
    return response


def _failures(request, cost):
    limit = settings.DESK_AUTH_FAILURE_LIMIT
    if not limit:
        return None
    key = buckets.bucket_key("auth-failures", client_address(request))
    return buckets.take(key, capacity=limit, period=settings.DESK_RATE_LIMIT_PERIOD, cost=cost)


def refuse_paused_address(request):
    """429 before any header is checked, for an address that ran out of failed authentications."""
    outcome = _failures(request, cost=0)
    if outcome is not None and not outcome.taken:
        raise TooManyRequests(outcome.retry_after)


def count_failure(request, exc):
    """A 401 spends one of its address's allowance."""
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        _failures(request, cost=1)
