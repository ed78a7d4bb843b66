"""Branch representation and input rules."""

from rest_framework import serializers

from desk.api.errors import NotFoundError
from desk.api.fields import StaffUserField
from desk.api.serializers import DeskModelSerializer
from desk.branches.models import Branch

DUPLICATE_KEY = "Branch key already exists. Please, provide another one."
KEY_IMMUTABLE = "Branch key cannot be changed."


class BranchSerializer(DeskModelSerializer):
    """A branch with its tags."""

    key = serializers.CharField(required=False, allow_blank=True, max_length=32)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=255), required=False, max_length=100)
    default_assignee = StaffUserField(required=False, allow_null=True)

    derived_fields = ("key",)

    class Meta:
        model = Branch
        fields = ["created_at", "default_assignee", "description", "id", "key", "name", "tags", "updated_at"]
        read_only_fields = ["created_at", "id", "updated_at"]

    def validate_key(self, value):
        if self.instance is not None:
            if value and value.upper() != self.instance.key:
                raise serializers.ValidationError(KEY_IMMUTABLE)
            return self.instance.key
        return value.strip().upper() if value else ""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and Branch.objects.filter(key=attrs["key"]).exists():
            raise NotFoundError(DUPLICATE_KEY)
        return attrs


class BranchListSerializer(BranchSerializer):
    """A branch as lists show it: without tags."""

    class Meta(BranchSerializer.Meta):
        fields = [name for name in BranchSerializer.Meta.fields if name != "tags"]
