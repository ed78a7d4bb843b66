"""Admin pages for attachments: to find, inspect and delete them; files only arrive through the API."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from desk.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "ticket", "comment", "content_type", "size", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["filename", "hash", "ticket__key"]
    list_select_related = ["ticket", "comment"]
    # The API cleans names, sniffs types and makes thumbnails; a form here would bypass all of that.
    exclude = ["file", "thumbnail"]
    readonly_fields = [
        "ticket",
        "comment",
        "filename",
        "download",
        "content_type",
        "size",
        "hash",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description="file")
    def download(self, attachment):
        """A link to the file through the download route (storage names are not served directly)."""
        return format_html(
            '<a href="{}">{}</a>', reverse("attachment-file", args=[attachment.hash]), attachment.filename
        )
