"""User (customer) representation and input rules."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from desk.api.serializers import DeskModelSerializer
from desk.users.models import Customer

DUPLICATE_EMAIL = "User with this email already exists."


@extend_schema_serializer(component_name="User")  # the contract calls a customer a User
class CustomerSerializer(DeskModelSerializer):
    """A customer as the API calls it, a User: email and names, the email unique in any case."""

    email = serializers.EmailField(max_length=254)

    class Meta:
        model = Customer
        fields = ["email", "first_name", "id", "last_name"]
        read_only_fields = ["id"]

    def validate_email(self, value):
        others = Customer.objects.live().filter(email__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(DUPLICATE_EMAIL)
        return value
