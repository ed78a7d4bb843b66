"""Top-level URLs: the admin and the two API mounts."""

from django.contrib import admin
from django.urls import path

from desk.api.routing import mounts
from desk.branches.urls import branch_routes

handler400 = "desk.api.errors.json_bad_request"
handler404 = "desk.api.errors.json_not_found"
handler500 = "desk.api.errors.json_server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    *mounts([branch_routes]),
]
