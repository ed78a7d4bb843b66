"""The contract's routes and filters as the OpenAPI tests expect them, and helpers to read the document."""

import base64
import io

from PIL import Image

STAFF = "/api/rest/{version}/desk/"
CUSTOMER = "/api/diamante/rest/{version}/desk/"
# Contract section 1, route by route: the same on both mounts unless noted.
BOTH_MOUNTS = {
    "branches": "GET POST",
    "branches/{id}": "GET PUT PATCH DELETE",
    "tickets": "GET POST",
    "tickets/search": "GET",
    "tickets/{id}": "GET PUT PATCH DELETE",
    "tickets/{key}": "GET PUT PATCH DELETE",
    "tickets/{id}/attachments": "GET POST",
    "tickets/{id}/attachments/{attachmentId}": "GET DELETE",
    "ticket/{id}/reporter": "GET",
    "ticket/{id}/assignee": "GET",
    "comment/{id}/author": "GET",
    "comments": "GET POST",
    "comments/{id}": "GET PUT PATCH DELETE",
    "comments/{id}/attachments": "GET POST",
    "comments/{id}/attachments/{attachmentId}": "GET DELETE",
    "tickets/{id}/watchers": "GET POST",
    "tickets/{id}/watchers/{userId}": "DELETE",
    "events": "GET",
}
STAFF_ONLY = {
    "users": "GET POST",
    "users/{email}/": "GET",
    "users/{id}": "GET PUT PATCH DELETE",
    "webhooks": "GET POST",
    "webhooks/{id}": "GET PUT PATCH DELETE",
    "webhooks/{id}/deliveries": "GET",
    "webhooks/{id}/deliveries/{deliveryId}": "GET",
    "webhooks/{id}/deliveries/{deliveryId}/redeliver": "POST",
}
CUSTOMER_ONLY = {"users/current": "GET PUT PATCH"}
# OroPlatform's user API: the staff prefix without `desk/`.
ORO_FILTER = "/api/rest/{version}/user/filter"
ORO = {ORO_FILTER: "GET", "/api/rest/{version}/users": "GET"}
WITHOUT_PREFIX = {
    "/desk/attachments/download/file/{hash}": "GET",
    "/desk/attachments/download/thumbnail/{hash}": "GET",
}
# Contract section 5: each list's filters, as clients spell them.
DATE_FILTERS = {"createdBefore", "createdAfter", "updatedBefore", "updatedAfter"}
TICKET_FILTERS = {
    "branch",
    "assignee",
    "reporter",
    "status",
    "priority",
    "source",
    "subject",
    "description",
    "key",
}
LIST_FILTERS = {
    "branches": {"name", "description", "key", "default_assignee"},
    "tickets": TICKET_FILTERS,
    "tickets/search": TICKET_FILTERS | {"q"},
    "comments": {"ticket", "author", "content", "private"},
    "users": {"email", "first_name", "last_name"},
}


def png_base64():
    """A tiny PNG, base64-encoded as attachmentsInput carries it."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def expected_operations():
    """Every (METHOD, path) the contract names, both mounts and the downloads."""
    routes = [(STAFF + route, methods) for route, methods in {**BOTH_MOUNTS, **STAFF_ONLY}.items()]
    routes += [(CUSTOMER + route, methods) for route, methods in {**BOTH_MOUNTS, **CUSTOMER_ONLY}.items()]
    routes += list(ORO.items()) + list(WITHOUT_PREFIX.items())
    return {(method, path) for path, methods in routes for method in methods.split()}


def operations(document):
    """(METHOD, path, operation) for every operation of a document."""
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def resolve(document, node):
    """A node with a `$ref` into the document replaced by what it points at."""
    while "$ref" in node:
        target = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node
