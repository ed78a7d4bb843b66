"""How the OpenAPI description reads WSSE and the fields and serializers drf-spectacular cannot infer."""

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)

from desk.branches.models import KEY_LETTERS

STAFF_REF_PATTERN = r"^(oro_)?\d{1,18}$"
PERSON_REF_PATTERN = r"^(oro|diamante)_\d{1,18}$"
TICKET_KEY_PATTERN = rf"^[{KEY_LETTERS}]+-\d{{1,18}}$"
WIRE_DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$",
    "example": "2015-07-17T11:25:21+0000",
    "description": "UTC, as `YYYY-MM-DDTHH:MM:SS+0000`.",
}
PERSON_REF = {
    "type": "string",
    "pattern": PERSON_REF_PATTERN,
    "example": "oro_1",
    "description": "`oro_<staff id>` or `diamante_<customer id>`.",
}
SECURITY_SCHEMES = {"staff": "StaffWSSE", "customer": "CustomerWSSE"}
_WSSE_HELP = (
    "A WSSE UsernameToken signed with {who} API key. Paste the value of a fresh header, without the "
    "`X-WSSE: ` in front: `.venv/bin/python manage.py {command} | cut -d' ' -f2-`. A header is good for "
    "one call within {minutes} minutes, so authorize again before every call."
)


class WSSEScheme(OpenApiAuthenticationExtension):
    """`X-WSSE` as an API key header, one scheme per mount since a key signs on its own mount only."""

    target_class = "wsse_auth.authentication.WSSEAuthentication"
    name = [SECURITY_SCHEMES["staff"], SECURITY_SCHEMES["customer"]]

    def get_security_requirement(self, auto_schema):
        return {SECURITY_SCHEMES[getattr(auto_schema.view, "mount", "staff")]: []}

    def get_security_definition(self, auto_schema):
        helps = (
            ("a staff user's", "wsse_header admin"),
            ("a customer's", "wsse_header --customer customer@example.com"),
        )
        minutes = settings.WSSE_LIFETIME // 60
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-WSSE",
                "description": _WSSE_HELP.format(who=who, command=command, minutes=minutes),
            }
            for who, command in helps
        ]


class WireDateTimeFieldSchema(OpenApiSerializerFieldExtension):
    """Dates go out as `2015-07-17T11:25:21+0000`, which is not RFC 3339 `date-time`."""

    target_class = "rest_framework.fields.DateTimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return dict(WIRE_DATETIME)


class StaffUserFieldSchema(OpenApiSerializerFieldExtension):
    """A staff user: shown as the id, written as `5` or `oro_5`."""

    target_class = "desk.api.fields.StaffUserField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {"type": "integer", "description": "Staff user id."}
        return {
            "oneOf": [{"type": "integer", "example": 1}, {"type": "string", "pattern": STAFF_REF_PATTERN}],
            "description": "Staff user as `5` or `oro_5`.",
        }


class PersonFieldSchema(OpenApiSerializerFieldExtension):
    """A staff user or customer, `oro_N` or `diamante_N`, both ways."""

    target_class = "desk.api.fields.PersonField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return dict(PERSON_REF)


class CommentAuthorFieldSchema(OpenApiSerializerFieldExtension):
    """A comment's author: shown as the bare id (see `author_type`), written as `oro_N` or `diamante_N`."""

    target_class = "desk.comments.serializers.CommentAuthorField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {"type": "integer", "description": "Id of the staff user or customer (see `author_type`)."}
        return dict(PERSON_REF)


class RelatedIdFieldSchema(OpenApiSerializerFieldExtension):
    """A branch or ticket named by its id."""

    target_class = "desk.api.fields.RelatedIdField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "integer", "example": 1, "description": f"{self.target.noun.capitalize()} id."}


class LabelChoiceFieldSchema(OpenApiSerializerFieldExtension):
    """Status, priority or source, one named enum each: lower-case values out, values or labels in."""

    target_class = "desk.api.fields.LabelChoiceField"

    def get_name(self):
        return self.target.choice_enum.__name__

    def map_serializer_field(self, auto_schema, direction):
        labels = ", ".join(f"`{label}`" for label in self.target.choice_enum.labels)
        return {
            "type": "string",
            "enum": list(self.target.choice_enum.values),
            "description": f"Shown as the value; taken in any case, and as the label ({labels}) too.",
        }


class UniqueIdFieldSchema(OpenApiSerializerFieldExtension):
    """The ticket's unique id, wrapped as the original showed it."""

    target_class = "desk.tickets.serializers.UniqueIdField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "object",
            "properties": {"id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
            "required": ["id"],
        }


class CommentMethodFieldSchema(OpenApiSerializerFieldExtension):
    """The computed `author` and `author_type` of a comment, shown inside a ticket or on its own."""

    target_class = "rest_framework.fields.SerializerMethodField"
    match_subclasses = True
    COMMENT = "comments.Comment"
    KNOWN = {
        "author": {"type": "integer", "description": "Id of the staff user or customer (see `author_type`)."},
        "author_type": {
            "type": "string",
            "enum": ["oro", "diamante"],
            "description": "`oro` for staff, `diamante` for customers.",
        },
    }

    def map_serializer_field(self, auto_schema, direction):
        model = getattr(getattr(self.target.parent, "Meta", None), "model", None)
        is_comment = model is not None and model._meta.label == self.COMMENT
        known = self.KNOWN.get(self.target.field_name) if is_comment else None
        if known is None:
            return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return dict(known)


class AttachmentSchema(OpenApiSerializerExtension):
    """An attachment with its download links, which the serializer builds by hand."""

    target_class = "desk.attachments.serializers.AttachmentSerializer"

    def map_serializer(self, auto_schema, direction):
        link = {
            "type": "object",
            "properties": {"url": {"type": "string", "format": "uri"}, "filename": {"type": "string"}},
            "required": ["url", "filename"],
        }
        return {
            "type": "object",
            "description": "An attachment; `thumbnails` only for images. Keys in this order.",
            "properties": {
                "id": {"type": "integer"},
                "created_at": dict(WIRE_DATETIME),
                "updated_at": dict(WIRE_DATETIME),
                "file": {**link, "description": "Download link and the original filename."},
                "thumbnails": {**link, "description": "A 100×100 PNG thumbnail."},
            },
            "required": ["id", "created_at", "updated_at", "file"],
        }
