"""Base serializer: the model's own validation runs on every API write, as it does in the admin."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class DeskModelSerializer(serializers.ModelSerializer):
    """Runs `Model.full_clean()` on the would-be instance and keeps what `clean()` derived."""

    # Fields that `Model.clean()` may fill in or normalise, copied back into the validated data.
    derived_fields = ()
    # Person fields that a new entity takes from the caller, whatever the body says.
    caller_fields = ()

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
