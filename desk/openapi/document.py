"""Generation hooks: the contract's paths and order, the document's texts, and the routes outside DRF."""

import copy
import json
import re

from django.conf import settings
from django.urls import reverse
from drf_spectacular.plumbing import build_mock_request

from desk.attachments.downloads import DOWNLOAD_TOKEN_REFUSED
from desk.openapi.objects import resource_of, route_of

MOUNT_ORDER = ("staff", "customer")
RESOURCE_ORDER = (
    "branches",
    "tickets",
    "ticket attachments",
    "ticket watchers",
    "people",
    "comments",
    "comment attachments",
    "users",
    "current customer",
    "staff users",
    "events",
    "webhooks",
    "webhook deliveries",
)
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
MOUNT_PREFIXES = {"staff": "/api/rest/{version}/desk/", "customer": "/api/diamante/rest/{version}/desk/"}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
SHARED_RESPONSES = {
    "401": "Unauthorized",
    "403": "Forbidden",
    "413": "TooLarge",
    "415": "UnsupportedMediaType",
    "429": "TooManyRequests",
}

DESCRIPTION = """\
A helpdesk server that speaks the DiamanteDesk REST API.

**Mounts.** Staff users call `/api/rest/{{version}}/desk/…`, customers
`/api/diamante/rest/{{version}}/desk/…`; `{{version}}` is `latest` or `v1`. Every route also answers
with a format suffix, `.json` or `.xml` (`/branches.xml`, `/tickets/5.json`; for `users/{{email}}/` the
suffix follows the slash: `users/a@b.com/.json`), and with a trailing slash.

**Formats.** A response is JSON or XML: the URL suffix decides, else the `Accept` header (wildcards
alone, such as `*/*`, state no preference), else an XML request body, else JSON. XML is
`<result>…</result>`, each list item an `<entry>`. Request bodies may be JSON, XML,
`application/x-www-form-urlencoded` or `multipart/form-data`, forms in PHP bracket notation
(`tags[]=a&tags[]=b`, `attachmentsInput[0][filename]=x.png`). Input keys are taken in camelCase and
snake_case alike (`ticketStatus` = `ticket_status`). Output keys are in alphabetical order, keys whose
value is null are left out, and dates are UTC: `2015-07-17T11:25:21+0000`.

**Authentication.** Every call but the downloads carries
`X-WSSE: UsernameToken Username="…", PasswordDigest="…", Nonce="…", Created="…"`, where the digest is
base64(sha1(nonce bytes + Created + API key)). A staff user's key signs on the staff mount only, a
customer's key on the customer mount only. To try a call on this page: run
`.venv/bin/python manage.py wsse_header admin | cut -d' ' -f2-` (for a customer,
`wsse_header --customer <email>`), press **Authorize**, paste the output into `StaffWSSE` (or
`CustomerWSSE`), then **Try it out** and **Execute**. A header is good for one call within
{lifetime_minutes} minutes, so generate a fresh one for every call.

**Lists.** `page` (from 1) and `limit` (default {page_size}, at most {max_page_size}); the body is a bare
array; `X-Total` counts every match and `Link` points at the `first`, `last`, `next` and `prev` (also
as `previous`) pages. `sort` and `order`, and the filters each list names; all filters must match, and
unknown parameters are ignored.

**Errors.** `{{"error": "<message>"}}`, plus `"errors": {{"<field>": ["<message>", …]}}` for invalid
input; in XML `<result><error>…</error></result>`. 400 invalid input, 401 authentication, 403
`Not enough permissions.`, 404 not found, 405 a method the route does not have, 413 too large, 415 an
unsupported body type.
"""


def clean_path(path):
    """The path the contract writes for a route, from the one drf-spectacular reads off its regex."""
    path = re.sub(r"/+$", "", path)
    if "/attachments" in path:
        path = path.replace("{pk}", "{attachmentId}")
    if "/deliveries" in path:
        path = path.replace("{pk}", "{deliveryId}")
    path = path.replace("{owner_pk}", "{id}").replace("{pk}", "{id}").replace("{person}", "{userId}")
    # An email holds dots, so the contract writes this route with its slash: `users/{email}/`.
    return f"{path}/" if path.endswith("{email}") else path


def preprocess_endpoints(endpoints):
    """The routes of both mounts under clean paths; the customer mount's `users` routes are staff-only."""
    result = []
    for path, path_regex, method, callback in endpoints:
        mount = getattr(callback, "initkwargs", {}).get("mount")
        if mount is None:
            continue
        path = clean_path(path)
        action = getattr(callback, "actions", {}).get(method.lower())
        if mount == "customer" and resource_of(callback.cls, action, route_of(path)[1]) == "users":
            continue
        result.append((path, path_regex, method, callback))
    return result


def operation_order(endpoint):
    """Staff mount first, then resources in the contract's order, then paths and methods."""
    path, _, method, callback = endpoint
    mount, route = route_of(path)
    resource = resource_of(callback.cls, getattr(callback, "actions", {}).get(method.lower()), route)
    rank = RESOURCE_ORDER.index(resource) if resource in RESOURCE_ORDER else len(RESOURCE_ORDER)
    return MOUNT_ORDER.index(mount), rank, path, METHOD_ORDER.index(method)


def mock_request(method, path, view, original_request, **kwargs):
    """A request like the real ones, from nobody: the view's mount picks its customer-side serializers."""
    request = build_mock_request(method, path, view, original_request, **kwargs)
    request.user = None
    return request


def _download(name, summary, media_type, not_found):
    path = reverse(name, kwargs={"hash": "0" * 32}).replace("0" * 32, "{hash}")
    operation = {
        "operationId": name.replace("-", "_"),
        "summary": summary,
        "description": "No authentication: the random hash in the attachment's `url` is the key. "
        "The original filename comes in `Content-Disposition`; no cache may keep the answer. A hash "
        "changes when its comment turns private or its ticket is given to another customer. With "
        "`DESK_SIGNED_DOWNLOADS` on, the `url` also carries an expiring `token`.",
        "tags": ["downloads"],
        "security": [],
        "parameters": [
            {
                "in": "path",
                "name": "hash",
                "required": True,
                "schema": {"type": "string", "pattern": "^[0-9a-f]{32,64}$"},
            },
            {
                "in": "query",
                "name": "token",
                "required": False,
                "schema": {"type": "string"},
                "description": "The expiring token of the `url`, when downloads are signed.",
            },
        ],
        "responses": {
            "200": {
                "description": summary,
                "headers": {
                    "Content-Disposition": {"schema": {"type": "string"}, "required": True},
                    "Cache-Control": {
                        "schema": {"type": "string", "enum": ["private, no-store"]},
                        "required": True,
                    },
                },
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            },
            "403": {
                "description": "Downloads are signed and the `token` is missing, wrong or expired: "
                f"`{DOWNLOAD_TOKEN_REFUSED}`",
                "content": {"application/json": {"schema": ERROR_REF}},
            },
            "404": {
                "description": not_found,
                "content": {"application/json": {"schema": ERROR_REF}},
            },
        },
    }
    return path, {"get": operation}


def _xml_item(schema):
    if schema.get("type") in ("object", "array") or "$ref" in schema:
        return {"allOf": [schema], "xml": {"name": "entry"}}
    return {**schema, "xml": {"name": "entry"}}


def xml_root(schema):
    """A body schema as XML shows it: a `<result>` root, a list's items as `<entry>`."""
    if schema.get("type") == "array":
        return {**schema, "xml": {"name": "result", "wrapped": True}, "items": _xml_item(schema["items"])}
    return {"allOf": [schema], "xml": {"name": "result"}}


def _with_xml_lists(schema):
    """Array properties as the XML renders them: wrapped, each item an `<entry>`."""
    for name, prop in schema.get("properties", {}).items():
        if prop.get("type") == "array":
            schema["properties"][name] = {**prop, "xml": {"wrapped": True}, "items": _xml_item(prop["items"])}
        elif prop.get("type") == "object":
            _with_xml_lists(prop)
    return schema


def _referenced(document):
    """Names of the component schemas a document refers to, directly or through other components."""
    schemas = document.get("components", {}).get("schemas", {})
    seen, pending = set(), [{key: value for key, value in document.items() if key != "components"}]
    pending.append(document.get("components", {}).get("responses", {}))
    while pending:
        text = json.dumps(pending.pop())
        for name in re.findall(r'"#/components/schemas/([^"]+)"', text):
            if name not in seen and name in schemas:
                seen.add(name)
                pending.append(schemas[name])
    return seen


def _share_responses(result):
    """Responses that read the same everywhere go to `components/responses`, referred to by each operation."""
    shared = result.setdefault("components", {}).setdefault("responses", {})
    for item in result["paths"].values():
        for operation in item.values():
            for code, name in SHARED_RESPONSES.items():
                response = operation["responses"].get(code)
                if response is not None:
                    shared.setdefault(name, response)
                    operation["responses"][code] = {"$ref": f"#/components/responses/{name}"}


def _tag(name):
    mount, _, resource = name.partition(": ")
    if resource == "staff users":
        return {
            "name": name,
            "description": "OroPlatform's user API, for staff users: `/api/rest/{version}/`",
        }
    if mount in MOUNT_PREFIXES:
        who = "staff users" if mount == "staff" else "customers"
        return {"name": name, "description": f"{resource.capitalize()}, for {who}: `{MOUNT_PREFIXES[mount]}`"}
    return {"name": name, "description": "Attachment files, without authentication."}


def postprocess_schema(result, generator, request, public):
    """Texts, tags, the downloads, XML names and shared responses, applied to the generated document."""
    result["info"]["description"] = DESCRIPTION.format(
        page_size=settings.DESK_PAGE_SIZE,
        max_page_size=settings.DESK_MAX_PAGE_SIZE,
        lifetime_minutes=settings.WSSE_LIFETIME // 60,
    )
    missing = "`Attachment not found.`"
    for name, summary, media_type, not_found in (
        ("attachment-file", "Download an attachment", "*/*", missing),
        (
            "attachment-thumbnail",
            "Download an attachment's thumbnail",
            "image/png",
            f"{missing} or `Attachment has no thumbnail.`",
        ),
    ):
        path, item = _download(name, summary, media_type, not_found)
        result["paths"][path] = item

    for schema in result.get("components", {}).get("schemas", {}).values():
        _with_xml_lists(schema)

    tags = []
    for item in result["paths"].values():
        for operation in item.values():
            tags += [tag for tag in operation.get("tags", []) if tag not in tags]
            bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
            for body in bodies:
                xml = body.get("content", {}).get("application/xml")
                if xml is not None:
                    # The media types of a body share one schema object; XML gets its own copy.
                    xml["schema"] = xml_root(_with_xml_lists(copy.deepcopy(xml["schema"])))
    result["tags"] = [_tag(name) for name in tags]
    _share_responses(result)
    # Serializers met only as read-only parts of a request leave components nothing refers to.
    schemas = result["components"].get("schemas", {})
    used = _referenced(result)
    result["components"]["schemas"] = {name: schema for name, schema in schemas.items() if name in used}
    return result
