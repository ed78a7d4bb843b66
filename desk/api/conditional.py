"""Conditional requests: strong ETags from the bytes sent, `If-None-Match` → 304, `If-Match` → 412."""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.http import parse_etags
from rest_framework import exceptions


class PreconditionFailed(exceptions.APIException):
    """`If-Match` named none of the entity's current ETags: it changed since the client read it."""

    status_code = 412
    default_detail = "The entity changed since it was read: get it again, then retry."


def entity_tag(content):
    """A strong ETag of a representation's bytes: JSON and XML of one state differ, as do two states."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def matches(header, tag, *, weak):
    """Whether an `If-Match` (strong) or `If-None-Match` (weak comparison) header names this tag."""
    tags = parse_etags(header)
    if "*" in tags:
        return True
    if weak:
        tags = [candidate.removeprefix("W/") for candidate in tags]
    return tag in tags


def tag_response(request, response):
    """The response with its ETag, rendered once for it; a GET naming that tag in If-None-Match gets 304."""
    response.render()
    tag = entity_tag(response.content)
    if request.method in ("GET", "HEAD") and matches(
        request.META.get("HTTP_IF_NONE_MATCH", ""), tag, weak=True
    ):
        return HttpResponseNotModified(headers={"ETag": tag})
    response["ETag"] = tag
    return response
