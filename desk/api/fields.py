"""Serializer fields shared by resources: staff users and people referenced by id."""

import re

from rest_framework import serializers

from desk.api.errors import NotFoundError
from desk.users.models import Customer, User

USER_NOT_FOUND = "User loading failed. User not found"
_STAFF_REF = re.compile(r"^(?:oro_)?(\d{1,18})$")
_PERSON_REF = re.compile(r"^(oro|diamante)_(\d{1,18})$")


class StaffUserField(serializers.Field):
    """A staff user given as `5` or `oro_5`, shown as the plain id; a missing user is 404."""

    def to_internal_value(self, data):
        match = _STAFF_REF.match(str(data).strip()) if isinstance(data, int | str) else None
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
    match = _PERSON_REF.match(reference.strip()) if isinstance(reference, str) else None
    if not match:
        raise serializers.ValidationError('Should be "oro_<staff id>" or "diamante_<customer id>".')
    model = User if match[1] == "oro" else Customer
    person = model.objects.filter(pk=int(match[2]), is_active=True).first()
    if person is None:
        raise NotFoundError(USER_NOT_FOUND)
    return person


class PersonField(serializers.Field):
    """A staff user or customer given as `oro_5` or `diamante_7`; shown the same way."""

    def to_internal_value(self, data):
        return find_person(data)

    def to_representation(self, value):
        return value.person_id
