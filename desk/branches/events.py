"""How branch changes appear in the event log."""

from desk.branches.models import Branch
from desk.branches.serializers import BranchSerializer
from desk.events.log import register


def represent(branch, request):
    return BranchSerializer(branch, context={"request": request}).data


register(Branch, entity="branch", represent=represent, key=lambda branch: branch.key)
