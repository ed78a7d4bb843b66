"""Branch endpoints."""

from django.db import IntegrityError

from desk.api.errors import NotFoundError
from desk.api.viewsets import DeskViewSet
from desk.branches.filters import BranchFilterSet
from desk.branches.models import BRANCH_NOT_FOUND, Branch
from desk.branches.serializers import DUPLICATE_KEY, BranchListSerializer, BranchSerializer


class BranchViewSet(DeskViewSet):
    """Branches: staff manage them, customers list and read them."""

    queryset = Branch.objects.all()
    filterset_class = BranchFilterSet
    entity_name = "Branch"
    not_found_message = BRANCH_NOT_FOUND
    duplicate_key_message = DUPLICATE_KEY
    conditional = True
    sort_fields = {
        name: (name,)
        for name in ("id", "name", "key", "description", "default_assignee", "created_at", "updated_at")
    }
    customer_actions = ("list", "retrieve")

    def get_serializer_class(self):
        return BranchListSerializer if self.action == "list" else BranchSerializer

    def perform_create(self, serializer):
        # The existence check in the serializer can race with another create; the unique index cannot.
        try:
            super().perform_create(serializer)
        except IntegrityError:
            raise NotFoundError(DUPLICATE_KEY) from None
