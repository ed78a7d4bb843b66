"""OpenAPI objects the operations are built from, and the contract's names for routes."""

import re

# `desk/` is left out only by OroPlatform's staff-user routes beside the staff mount.
_ROUTE = re.compile(r"^/api/(?P<mount>diamante/)?rest/\{version\}/(?:desk/)?(?P<route>.*)$")

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: `error` holds the message; a validation error may add `errors` by field.",
    "properties": {
        "error": {"type": "string", "example": "Branch loading failed. Branch not found."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"name": ["This field is required."]},
        },
    },
    "required": ["error"],
}
# Path parameters every route may have; a view adds its own in `path_parameters`.
PATH_PARAMETERS = {
    "version": {
        "schema": {"type": "string", "enum": ["latest", "v1"], "default": "latest"},
        "description": "`latest` and `v1` are the same API.",
    },
}
HEADERS = {
    "X-Total": {
        "schema": {"type": "integer"},
        "required": True,
        "description": "How many entries match the filters, on every page together.",
    },
    "Link": {
        "schema": {"type": "string"},
        "description": "Only when there is more than one page: absolute URLs of the `first` (page > 1), "
        "`last` and `next` (page < last), `prev` and `previous` (page > 1) pages.",
        "example": '<http://localhost:8000/api/rest/latest/desk/branches?limit=1&page=2>; rel="last", '
        '<http://localhost:8000/api/rest/latest/desk/branches?limit=1&page=2>; rel="next"',
    },
    "Location": {
        "schema": {"type": "string", "format": "uri"},
        "required": True,
        "description": "URL of the created entity.",
    },
    "ETag": {
        "schema": {"type": "string", "example": '"3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6"'},
        "required": True,
        "description": "Strong tag of this representation (its state and format), for `If-None-Match` "
        "and `If-Match`.",
    },
    "Retry-After": {"schema": {"type": "integer"}, "required": True, "description": "Seconds to wait."},
    "WWW-Authenticate": {
        "schema": {"type": "string", "example": 'WSSE realm="Secured API", profile="UsernameToken"'},
        "required": True,
    },
}

CONDITIONAL_HEADERS = {
    "read": {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": "ETags the client holds: when one is current, the answer is 304 without a body.",
    },
    "write": {
        "in": "header",
        "name": "If-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": "ETags the change is meant for (or `*`): when none is current, the answer is 412 "
        "and nothing changes.",
    },
}

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
    "description": "Any unique value, to retry this write safely for 24 hours: a retry with the same key "
    "and the same request gets the first answer (with `Idempotency-Replayed: true`) and changes nothing; "
    "the key with another request is 422, and while the first is still running 409.",
}


def route_of(path):
    """The mount and the part of a path after `desk/` (or the version), or (None, None) outside the mounts."""
    match = _ROUTE.match(path)
    if match is None:
        return None, None
    return ("customer" if match["mount"] else "staff"), match["route"]


def resource_of(view, action, route):
    """The contract's resource name of an operation: the view's own word for it, else the route's first part.

    Views name what the route does not say: `people`, `ticket attachments`, `current customer`, ...
    """
    named = getattr(view, "schema_resources", {}).get(action) or getattr(view, "schema_resource", None)
    return named or route.strip("/").split("/")[0]
