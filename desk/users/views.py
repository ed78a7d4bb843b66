"""User (customer) endpoints: staff manage customers, a customer reads and edits itself."""

from urllib.parse import quote

from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from desk.api.errors import NotFoundError
from desk.api.viewsets import DeskViewSet
from desk.users.filters import CustomerFilterSet
from desk.users.models import Customer
from desk.users.serializers import DUPLICATE_EMAIL, CustomerSerializer


class CustomerViewSet(DeskViewSet):
    """`users`, `users/{email}/` for staff; `users/current` for the calling customer."""

    queryset = Customer.objects.live()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
    entity_name = "User"
    not_found_message = "User not found."
    lookup_field = "email__iexact"
    lookup_url_kwarg = "email"
    sort_fields = {
        name: (name,) for name in ("id", "email", "first_name", "last_name", "created_at", "updated_at")
    }
    customer_actions = ("current", "update_current")

    def get_object(self):
        # No stored email holds a NUL, and PostgreSQL refuses one in a query.
        if "\x00" in self.kwargs["email"]:
            raise NotFoundError(self.not_found_message)
        return super().get_object()

    def location_for(self, instance):
        """`users/{email}/` (suffix after the slash): customers are found by email, not by id."""
        path = self.request.path.rstrip("/")
        fmt = self.kwargs.get("format")
        if fmt:
            path = path[: -(len(fmt) + 1)].rstrip("/")
        suffix = f".{fmt}" if fmt else ""
        return self.request.build_absolute_uri(f"{path}/{quote(instance.email, safe='@+')}/{suffix}")

    def perform_create(self, serializer):
        self.save_unique(serializer)

    def save_unique(self, serializer):
        """Save; the email check can race with another write, the case-insensitive unique index cannot."""
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError({"email": [DUPLICATE_EMAIL]}) from None

    def current(self, request, *args, **kwargs):
        """The calling customer."""
        return Response(self.get_serializer(request.user).data)

    def update_current(self, request, *args, **kwargs):
        """Change the calling customer's names or email (PUT and PATCH alike are partial).

        A new email must be valid and unused by any other customer, in any case. The email is also the
        customer's login: requests after the change sign with the new one, the API keys stay the same.
        """
        self.reject_unknown_keys(request.data)
        serializer = self.get_serializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.save_unique(serializer)
        return Response(serializer.data)
