"""OpenAPI 3 description of both mounts, read from each view's own attributes."""

import copy
import re

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer

from desk.openapi import extensions  # noqa: F401  (registers the extensions it defines)
from desk.openapi.objects import (
    CONDITIONAL_HEADERS,
    ERROR_SCHEMA,
    HEADERS,
    IDEMPOTENCY_KEY,
    PATH_PARAMETERS,
    resource_of,
    route_of,
)

LIST_ACTIONS = ("list", "search")
WRITE_METHODS = ("POST", "PUT", "PATCH")
# Any operation's path can miss: a version or an id that does not match a route answers this.
NO_ROUTE = "`Not found.` for a path the API does not have, such as a `{version}` other than `latest` or `v1`."


def may_be_null(serializer, field):
    """Whether a field's value can be null: the field says so, or the model column it reads does."""
    if field.allow_null:
        return True
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    try:
        return model._meta.get_field(field.source.split(".")[0]).null
    except FieldDoesNotExist:
        return False


class DeskAutoSchema(AutoSchema):
    """Describes one operation of a desk view from its mount, action and declared attributes."""

    # What the operation is: the view's mount and action, and the route's place in the contract.

    @property
    def mount(self):
        return getattr(self.view, "mount", "staff")

    @property
    def action(self):
        return getattr(self.view, "action", None)

    @property
    def route(self):
        return route_of(self.path)[1] or ""

    @property
    def resource(self):
        return resource_of(self.view, self.action, self.route)

    @property
    def answers_person(self):
        return self.action in getattr(self.view, "person_actions", ())

    @property
    def uploads(self):
        """The serializer of an upload's body, for a POST that answers the array of what it made."""
        return getattr(self.view, "upload_serializer", None) if self.method == "POST" else None

    @property
    def refused(self):
        """Whether the customer mount always answers 403 here."""
        return self.mount == "customer" and self.action not in getattr(self.view, "customer_actions", ())

    @property
    def conditional(self):
        """`read` or `write` for the operations of a view's conditional requests, else None."""
        if not getattr(self.view, "conditional", False) or self.refused:
            return None
        if self.method == "GET" and self.action in self.view.etag_reads:
            return "read"
        return "write" if self.action in self.view.etag_writes else None

    @property
    def path_variables(self):
        return [name for name in re.findall(r"\{(\w+)\}", self.path) if name != "version"]

    def _is_list_view(self, serializer=None):
        return self.method == "GET" and self.action in LIST_ACTIONS

    def get_filter_backends(self):
        # The customer mount refuses this list outright: no filter applies.
        return [] if self.refused else super().get_filter_backends()

    # Naming and grouping.

    def get_tags(self):
        return [f"{self.mount}: {self.resource}"]

    def get_operation_id(self):
        tokens = []
        for part in self.route.strip("/").split("/"):
            variable = re.fullmatch(r"\{(\w+)\}", part)
            if variable is None:
                tokens.append(part)
            elif variable[1] in ("key", "email"):
                tokens.append(f"by_{variable[1]}")
        if self.method == "GET":
            verb = "list" if self._is_list_view() else "retrieve"
        else:
            verb = self.method_mapping[self.method.lower()]
        return "_".join([self.mount, *tokens, verb])

    def get_summary(self):
        summary = getattr(self.view, "summaries", {}).get(self.action)
        if summary:
            return summary
        entity = getattr(self.view, "entity_name", "entity").lower()
        route, method = self.route.rstrip("/"), self.method
        by = " by key" if "{key}" in route else " by email" if "{email}" in route else ""
        verbs = {"POST": "Create", "PUT": "Update", "PATCH": "Update", "DELETE": "Delete"}
        if self._is_list_view():
            return f"List {self.resource}"
        return f"{verbs.get(method, 'Get')} a {entity}{by}"

    def get_description(self):
        notes = [super().get_description()]
        if self.refused:
            notes.append("Customers may not do this: the answer is always 403 `Not enough permissions.`")
        elif self.method in ("PUT", "PATCH"):
            entity = getattr(self.view, "entity_name", "Entity")
            notes.append(
                "PUT and PATCH are both partial: only the keys given change. "
                f'A key the entity does not have is 400 `{entity} does not have "x" property.`'
            )
        if self.method == "GET" and "{key}" in self.route:
            notes.append("A key the ticket had before it moved to another branch answers 301 to its new URL.")
        return "\n\n".join(note for note in notes if note)

    # Parameters.

    def _resolve_path_parameters(self, variables):
        parameters = []
        for name in variables:
            known = {**PATH_PARAMETERS, **getattr(self.view, "path_parameters", {})}.get(name)
            if known is None and name == "id":
                noun = self._id_noun()
                known = {"schema": {"type": "integer", "minimum": 0}, "description": f"{noun} id."}
            if known is None:
                known = {"schema": {"type": "string"}}
            parameters.append({"in": "path", "name": name, "required": True, **copy.deepcopy(known)})
        return parameters

    def _id_noun(self):
        """What `{id}` names: the holder of a nested route, else the view's entity."""
        owner = getattr(self.view, "owner_model", None)
        if owner is not None:
            return owner._meta.verbose_name.capitalize()
        return getattr(self.view, "entity_name", "Entity")

    def _get_format_parameters(self):
        return []

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.conditional:
            parameters.append(copy.deepcopy(CONDITIONAL_HEADERS[self.conditional]))
        if self.idempotent:
            parameters.append(copy.deepcopy(IDEMPOTENCY_KEY))
        return parameters

    @property
    def idempotent(self):
        """Whether the operation is a write a client may retry with an `Idempotency-Key`."""
        return self.method in (*WRITE_METHODS, "DELETE") and not self.refused

    # Bodies.

    def component(self, name, schema):
        """A reference to a named schema registered once."""
        resolved = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=copy.deepcopy(schema)
        )
        self.registry.register_on_missing(resolved)
        return resolved.ref

    def serializer_ref(self, serializer, direction):
        """A reference to the component of a serializer, partial for PUT as for PATCH."""
        serializer = force_instance(serializer)
        if direction == "request" and self.method in ("PUT", "PATCH"):
            serializer = copy.copy(serializer)
            serializer.partial = True
        return self.resolve_serializer(serializer, direction).ref

    def _get_request_body(self, direction="request"):
        if self.method not in WRITE_METHODS or self.refused:
            return None
        media_types = self.map_parsers()
        if self.uploads is not None:
            schemas = self.uploads.openapi_bodies(media_types)
        else:
            serializer = self._get_serializer()
            schema = self.serializer_ref(serializer, direction)
            beside = self._body_properties(serializer) if self.method == "POST" else {}
            if beside:
                schema = {"allOf": [schema, {"type": "object", "properties": beside}]}
            schemas = {media_type: schema for media_type in media_types}
        return {"required": True, "content": {media: {"schema": s} for media, s in schemas.items()}}

    @staticmethod
    def _body_properties(serializer):
        """What the body names beside the entity: the writable fields that say so with `body_property`."""
        fields = getattr(force_instance(serializer), "fields", {})
        return dict(
            field.body_property
            for field in fields.values()
            if getattr(field, "body_property", None) and not field.read_only
        )

    def _get_response_bodies(self, direction="response"):
        responses = {} if self.refused else self._success_responses()
        error = self.component("Error", ERROR_SCHEMA)
        for code, description in self._error_descriptions().items():
            responses[code] = {"description": description, "content": self._content(error)}
            if code == "401":
                responses[code]["headers"] = {"WWW-Authenticate": HEADERS["WWW-Authenticate"]}
            if code == "429":
                responses[code]["headers"] = {"Retry-After": HEADERS["Retry-After"]}
        if self.conditional and "200" in responses:
            responses["200"].setdefault("headers", {})["ETag"] = HEADERS["ETag"]
        if self.conditional == "read":
            responses["304"] = {
                "description": "`If-None-Match` named the current ETag: no body.",
                "headers": {"ETag": HEADERS["ETag"]},
            }
        return dict(sorted(responses.items()))

    def _content(self, schema):
        return {media_type: {"schema": schema} for media_type in self.map_renderers("media_type")}

    def _success_responses(self):
        if self.method == "DELETE":
            return {"204": {"description": "Deleted; no body."}}
        if self.answers_person:
            person = self.component("Person", self.view.person_schema)
            if self.action in getattr(self.view, "may_be_nobody", ()):
                schema = {
                    "oneOf": [person, {"type": "array", "maxItems": 0}],
                    "description": "The assignee, or `[]` when nobody is assigned.",
                }
                return {"200": {"description": "The assignee, or `[]`.", "content": self._content(schema)}}
            return {"200": {"description": "The person.", "content": self._content(person)}}

        entity = self.serializer_ref(self._get_serializer(), "response")
        if self._is_list_view():
            schema = {"type": "array", "items": entity}
            response = {"description": "A bare array.", "content": self._content(schema)}
            if getattr(self.view, "pagination_class", None) is not None:
                response["headers"] = {"X-Total": HEADERS["X-Total"], "Link": HEADERS["Link"]}
            return {"200": response}
        if self.uploads is not None:
            schema = {"type": "array", "items": entity}
            return {"201": {"description": "The attachments made.", "content": self._content(schema)}}
        if self.method == "POST":
            return {
                "201": {
                    "description": "Created.",
                    "headers": {"Location": HEADERS["Location"]},
                    "content": self._content(entity),
                }
            }
        responses = {"200": {"description": "The entity.", "content": self._content(entity)}}
        if self.method == "GET" and "{key}" in self.route:
            moved = {**HEADERS["Location"], "description": "URL of the ticket under its new key."}
            responses["301"] = {
                "description": "The ticket moved to another branch: an empty body and its new URL in "
                "`X-Location` only (a `Location` would make clients resend the single-use WSSE header).",
                "headers": {"X-Location": moved},
            }
        return responses

    def _error_descriptions(self):
        errors = {
            "401": "The `X-WSSE` header is missing, malformed, expired, replayed or does not match a key.",
            "403": "`Not enough permissions.`",
            "404": NO_ROUTE,
            "429": "Rate limits are on and this API key, or this address's failed authentications, ran out: "
            "retry after `Retry-After` seconds. Answers to a limited key carry `RateLimit-Limit`, "
            "`RateLimit-Remaining` and `RateLimit-Reset`.",
        }
        if self.refused:
            return errors
        writes = self.method in WRITE_METHODS
        if self._is_list_view():
            errors["400"] = "A bad `page`, `limit`, `sort`, `order` or filter value."
        elif writes:
            errors["400"] = "Invalid input: `error` holds the first message, `errors` each one by field."
        not_found = self._not_found_description(writes)
        if not_found:
            errors["404"] = f"{not_found}; or {NO_ROUTE}"
        if self.method != "GET" and self.path_variables:
            errors.update(getattr(self.view, "detail_write_errors", {}))
        if self.conditional == "write":
            errors["412"] = "`If-Match` named no current ETag: the entity changed since it was read."
        if self.idempotent:
            errors["400"] = errors.get("400", "A malformed `Idempotency-Key`.")
            errors["409"] = "A request with this `Idempotency-Key` is still running."
            errors["422"] = "This `Idempotency-Key` was already used for another request."
        if writes:
            errors["413"] = "The body or an attachment is too large."
            errors["415"] = "The body's Content-Type is not JSON, XML or a form."
        return dict(sorted(errors.items()))

    def _not_found_description(self, writes):
        """The exact messages of the 404s this operation can give."""
        messages = []
        variables = self.path_variables
        owner_message = getattr(self.view, "owner_not_found_message", None)
        if owner_message and "id" in variables:
            messages.append(owner_message)
        if variables and not (owner_message and variables == ["id"]):
            messages.append(getattr(self.view, "not_found_message", "Not found."))
        if writes and self.uploads is None:
            serializer = self._get_serializer()
            if is_serializer(serializer):
                messages += self._referenced_not_found(serializer)
            if self.method == "POST" and getattr(self.view, "duplicate_key_message", None):
                messages.append(self.view.duplicate_key_message)
        return " or ".join(f"`{message}`" for message in dict.fromkeys(messages))

    @staticmethod
    def _referenced_not_found(serializer):
        """The 404 messages of the writable fields that name another entity (each says its `not_found`)."""
        return [
            field.not_found
            for field in serializer.fields.values()
            if getattr(field, "not_found", None) and not field.read_only
        ]

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A field the operation names beside the entity is not part of the entity.
        for name, field in force_instance(serializer).fields.items():
            if getattr(field, "body_property", None):
                schema.get("properties", {}).pop(name, None)
                if name in schema.get("required", []):
                    schema["required"].remove(name)
        if direction == "response":
            # Null keys are left out of the wire, so every other key is always there and none is null.
            serializer = force_instance(serializer)
            properties = schema.get("properties", {})
            for prop in properties.values():
                prop.pop("nullable", None)
            schema["required"] = [
                name for name in properties if not may_be_null(serializer, serializer.fields[name])
            ]
        return schema
