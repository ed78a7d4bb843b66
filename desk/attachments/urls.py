"""Attachment routes under tickets and comments, the same on both mounts."""

from desk.api.routing import COLLECTION, ID, NUMBER, endpoint
from desk.attachments.views import CommentAttachmentViewSet, TicketAttachmentViewSet

OWNER_ID = rf"(?P<owner_pk>{NUMBER})"
DETAIL = {"get": "retrieve", "delete": "destroy"}


def attachment_routes(mount):
    """`tickets/{id}/attachments[/{attachmentId}]` and `comments/{id}/attachments[/{attachmentId}]`."""
    routes = []
    for noun, viewset in (("ticket", TicketAttachmentViewSet), ("comment", CommentAttachmentViewSet)):
        collection = rf"{noun}s/{OWNER_ID}/attachments"
        routes += [
            endpoint(collection, viewset, COLLECTION, mount, f"{noun}-attachment-list"),
            endpoint(rf"{collection}/{ID}", viewset, DETAIL, mount, f"{noun}-attachment-detail"),
        ]
    return routes
