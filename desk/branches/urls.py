"""Branch routes, the same on both mounts."""

from desk.api.routing import resource
from desk.branches.views import BranchViewSet


def branch_routes(mount):
    """`branches` and `branches/{id}`."""
    return resource("branches", BranchViewSet, mount)
