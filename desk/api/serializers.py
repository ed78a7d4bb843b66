"""Base serializer: the model's own validation runs on every API write, as it does in the admin."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.functional import cached_property
from rest_framework import serializers

from desk.api.fields import WireDateTimeField


class DeskModelSerializer(serializers.ModelSerializer):
    """Runs `Model.full_clean()` on the would-be instance and keeps what `clean()` derived."""

    # Fields that `Model.clean()` may fill in or normalise, copied back into the validated data.
    derived_fields = ()
    # Person fields that a new entity takes from the caller, whatever the body says.
    caller_fields = ()

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: WireDateTimeField,
    }

    def get_fields(self):
        """The fields, built from the model once per class and copied for each serializer.

        ModelSerializer inspects the model for every new serializer, several times a request; what it
        builds depends on the class alone, and a deep copy is what DRF gives each instance anyway.
        """
        cls = type(self)
        built = cls.__dict__.get("_desk_built_fields")
        if built is None:
            built = super().get_fields()
            cls._desk_built_fields = built
        return copy.deepcopy(built)

    @cached_property
    def _readable_fields(self):
        """The fields a representation shows, listed once: DRF walks all fields again for every row."""
        return [field for field in self.fields.values() if not field.write_only]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs.update({name: self.context["request"].user for name in self.caller_fields})
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
            elif getattr(self.fields.get(name), "pair", None) is not None:
                # A person held in two columns (a `PersonPair`), so that `clean()` sees who it is.
                self.fields[name].pair.assign(instance, value)
        # A new row is checked on what was given; an existing one on everything it would hold. Relations
        # are left out: the serializer's fields already found them (with the contract's 404), and checking
        # again would cost a query each.
        relations = {field.name for field in model._meta.concrete_fields if field.is_relation}
        unchecked = relations if self.instance is not None else relations | (concrete - set(attrs))
        exclude = sorted(unchecked)
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        for name in self.derived_fields:
            attrs[name] = getattr(instance, name)
        return attrs
