"""How the OpenAPI description reads WSSE and the fields and serializers drf-spectacular cannot infer."""

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiFilterExtension,
    OpenApiSerializerFieldExtension,
)

WIRE_DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$",
    "example": "2015-07-17T11:25:21+0000",
    "description": "UTC, as `YYYY-MM-DDTHH:MM:SS+0000`.",
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


class DeskFilterBackendSchema(OpenApiFilterExtension):
    """Our FilterSets describe their own parameters; drf-spectacular's django-filter reading is not used."""

    target_class = "desk.api.filtering.DeskFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        return self.target.get_schema_operation_parameters(auto_schema.view)
