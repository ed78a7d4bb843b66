"""Comment routes, the same on both mounts."""

from desk.api.routing import ID, endpoint, resource
from desk.comments.views import CommentViewSet


def comment_routes(mount):
    """`comments`, `comments/{id}` and `comment/{id}/author` (singular, as the original named it)."""
    return [
        *resource("comments", CommentViewSet, mount),
        endpoint(rf"comment/{ID}/author", CommentViewSet, {"get": "author"}, mount, "comment-author"),
    ]
