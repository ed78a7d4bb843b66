"""Serializer fields naming people: a staff user (`5`, `oro_5`), or anyone as `oro_N`/`diamante_N`."""

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from desk.api.errors import NotFoundError
from desk.users.models import Customer, User
from desk.users.people import PERSON_REF_MESSAGE, PERSON_REF_PATTERN, USER_NOT_FOUND, parse_person_ref

# Also the OpenAPI pattern of such a reference.
STAFF_REF_PATTERN = r"^(?:oro_)?([0-9]{1,18})$"
STAFF_REF = re.compile(STAFF_REF_PATTERN)
PERSON_REF_SCHEMA = {
    "type": "string",
    "pattern": PERSON_REF_PATTERN,
    "example": "oro_1",
    "description": "`oro_<staff id>` or `diamante_<customer id>`.",
}


class StaffUserField(serializers.Field):
    """A staff user given as `5` or `oro_5`, shown as the plain id; a missing user is 404."""

    not_found = USER_NOT_FOUND

    def to_internal_value(self, data):
        match = STAFF_REF.match(str(data).strip()) if isinstance(data, int | str) else None
        if not match:
            raise serializers.ValidationError("Should be a staff user id.")
        user = User.objects.filter(pk=int(match[1]), is_active=True).first()
        if user is None:
            raise NotFoundError(USER_NOT_FOUND)
        return user

    def get_attribute(self, instance):
        # The id column is enough to answer, so a list never loads the users.
        return getattr(instance, f"{self.source}_id")

    def to_representation(self, value):
        return value


def find_person(reference):
    """The staff user (`oro_N`) or customer (`diamante_N`) a reference names; 404 when there is none."""
    parsed = parse_person_ref(reference)
    if parsed is None:
        raise serializers.ValidationError(PERSON_REF_MESSAGE)
    kind, pk = parsed
    people = User.objects.all() if kind == "oro" else Customer.objects.live()
    person = people.filter(pk=pk, is_active=True).first()
    if person is None:
        raise NotFoundError(USER_NOT_FOUND)
    return person


class PersonField(serializers.Field):
    """A staff user or customer given as `oro_5` or `diamante_7`; shown the same way."""

    not_found = USER_NOT_FOUND

    def to_internal_value(self, data):
        return find_person(data)

    def to_representation(self, value):
        return value.person_id


class StaffUserFieldSchema(OpenApiSerializerFieldExtension):
    """A staff user: shown as the id, written as `5` or `oro_5`."""

    target_class = "desk.users.fields.StaffUserField"
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

    target_class = "desk.users.fields.PersonField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return dict(PERSON_REF_SCHEMA)
