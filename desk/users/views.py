"""User (customer) endpoints: staff manage customers, a customer reads and edits itself."""

from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from desk.api.viewsets import DeskViewSet
from desk.events.log import event_record
from desk.users.filters import CustomerFilterSet
from desk.users.models import Customer
from desk.users.people import USER_NOT_FOUND
from desk.users.serializers import DUPLICATE_EMAIL, CustomerSerializer
from desk.users.services import customer_delete


class CustomerViewSet(DeskViewSet):
    """`users`, `users/{email}/` and `users/{id}` for staff; `users/current` for the calling customer."""

    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
    entity_name = "User"
    path_parameters = {
        "email": {
            "schema": {"type": "string", "format": "email", "example": "customer@example.com"},
            "description": "The customer's email, in any case.",
        }
    }
    sort_fields = {
        name: (name,) for name in ("id", "email", "first_name", "last_name", "created_at", "updated_at")
    }
    customer_actions = ("current", "update_current")
    conditional = True
    etag_reads = ("retrieve", "current")
    etag_writes = {**DeskViewSet.etag_writes, "update_current": "current"}
    # `users/{id}` with an id that is not a number is the email route, which only reads.
    detail_write_errors = {"405": '`Method "…" not allowed.` for an id that is not a number.'}
    schema_resources = {"current": "current customer", "update_current": "current customer"}
    summaries = {"current": "The calling customer", "update_current": "Change the calling customer"}

    @property
    def by_email(self):
        """Whether the route names the customer by email (`users/{email}/`) rather than by id."""
        return "email" in self.kwargs

    @property
    def not_found_message(self):
        return "User not found." if self.by_email else USER_NOT_FOUND

    def get_lookup(self):
        if not self.by_email:
            return super().get_lookup()
        email = self.kwargs["email"]
        # No stored email holds a NUL, and PostgreSQL refuses one in a query.
        return None if "\x00" in email else {"email__iexact": email}

    def perform_create(self, serializer):
        self.save_unique(serializer, "created")

    def perform_update(self, serializer):
        self.save_unique(serializer, "updated")

    def perform_destroy(self, instance):
        customer_delete(customer=instance)

    def save_unique(self, serializer, verb):
        """Save; the email check can race with another write, the case-insensitive unique index cannot."""
        try:
            with transaction.atomic():
                serializer.save()
                event_record(serializer.instance, verb)
        except IntegrityError:
            raise ValidationError({"email": [DUPLICATE_EMAIL]}) from None

    def current(self, request, *args, **kwargs):
        """The calling customer."""
        return Response(self.represent(request.user))

    def update_current(self, request, *args, **kwargs):
        """Change the calling customer's names or email (PUT and PATCH alike are partial).

        A new email must be valid and unused by any other customer, in any case. The email is also the
        customer's login: requests after the change sign with the new one, the API keys stay the same.
        """
        with self.preconditions(request.user) as customer:
            self.reject_unknown_keys(request.data)
            serializer = self.get_serializer(customer, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            self.save_unique(serializer, "updated")
        return Response(serializer.data)
