"""Branch representation and input rules."""

from rest_framework import serializers

from desk.api.errors import NotFoundError
from desk.api.fields import BoundedListField
from desk.api.serializers import DeskModelSerializer
from desk.branches.models import Branch
from desk.users.fields import StaffUserField

DUPLICATE_KEY = "Branch key already exists. Please, provide another one."
KEY_IMMUTABLE = "Branch key cannot be changed."


class BranchSerializer(DeskModelSerializer):
    """A branch with its tags."""

    key = serializers.CharField(required=False, allow_blank=True, max_length=32)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    tags = BoundedListField(child=serializers.CharField(max_length=255), required=False, max_length=100)
    default_assignee = StaffUserField(required=False, allow_null=True)

    derived_fields = ("key",)

    class Meta:
        model = Branch
        fields = ["created_at", "default_assignee", "description", "id", "key", "name", "tags", "updated_at"]
        read_only_fields = ["created_at", "id", "updated_at"]

    def validate_key(self, value):
        return value.strip().upper() if value else ""

    def validate(self, attrs):
        if self.instance is not None and "key" in attrs:
            # The contract's message stands alone, not as a message about the field.
            if attrs["key"] and attrs["key"] != self.instance.key:
                raise serializers.ValidationError(KEY_IMMUTABLE)
            attrs["key"] = self.instance.key
        attrs = super().validate(attrs)
        if self.instance is None and Branch.objects.filter(key=attrs["key"]).exists():
            raise NotFoundError(DUPLICATE_KEY)
        return attrs


class BranchListSerializer(BranchSerializer):
    """A branch as lists show it: without tags."""

    class Meta(BranchSerializer.Meta):
        fields = [name for name in BranchSerializer.Meta.fields if name != "tags"]
