"""Admin pages for attachments."""

from django.contrib import admin

from desk.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "ticket", "comment", "content_type", "size", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["filename", "hash", "ticket__key"]
    list_select_related = ["ticket", "comment"]
    readonly_fields = ["hash", "size", "content_type", "created_at", "updated_at"]
    raw_id_fields = ["ticket", "comment"]
