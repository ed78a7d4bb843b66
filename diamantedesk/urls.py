"""Top-level URLs: the admin, the two API mounts, attachment downloads and operations."""

from django.contrib import admin
from django.urls import include, path, re_path

from desk.api.routing import ORO_PREFIX, mounts
from desk.attachments.urls import attachment_routes
from desk.branches.urls import branch_routes
from desk.comments.urls import comment_routes
from desk.events.urls import event_routes
from desk.tickets.urls import ticket_routes
from desk.users.urls import staff_user_routes, user_routes
from desk.webhooks.urls import webhook_routes

handler400 = "desk.api.errors.json_bad_request"
handler404 = "desk.api.errors.json_not_found"
handler500 = "desk.api.errors.json_server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/attachments/", include("desk.attachments.download_urls")),
    path("", include("diamantedesk.ops_urls")),
    *mounts(
        [
            branch_routes,
            ticket_routes,
            attachment_routes,
            comment_routes,
            user_routes,
            event_routes,
            webhook_routes,
        ]
    ),
    re_path(ORO_PREFIX, include((staff_user_routes(), "oro"))),
]
