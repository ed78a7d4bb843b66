"""Admin pages for attachments: found, previewed and deleted here; files only arrive through the API."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from desk.attachments.links import download_path
from desk.attachments.models import Attachment
from desk.events.admin_recording import RecordedAdmin

# The API cleans names, sniffs types and makes thumbnails; a form here would bypass all of that.
DETAIL_FIELDS = ["preview", "download", "content_type", "file_size", "created_at"]


def download_url(attachment):
    """The download route of the file (storage names are never served directly)."""
    return download_path(attachment)


def thumbnail_img(attachment, size=100):
    """An <img> of the attachment's thumbnail linking to the file, or None for attachments without one."""
    if not attachment.thumbnail:
        return None
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}" loading="lazy"></a>',
        download_url(attachment),
        download_path(attachment, thumbnail=True),
        attachment.filename,
        size,
        size,
    )


def attachment_list(attachments):
    """Thumbnails and download links of several attachments, for a comment shown inline."""
    return format_html_join(
        " ",
        '<span class="attachment">{} <a href="{}">{}</a></span>',
        ((thumbnail_img(a, 50) or "", download_url(a), a.filename) for a in attachments),
    )


class AttachmentDisplayMixin:
    """Columns shared by the attachment list and the inlines: thumbnail, download link, size."""

    @admin.display(description="preview")
    def preview(self, attachment):
        return thumbnail_img(attachment) or "—"

    @admin.display(description="file", ordering="filename")
    def download(self, attachment):
        return format_html('<a href="{}">{}</a>', download_url(attachment), attachment.filename)

    @admin.display(description="size", ordering="size")
    def file_size(self, attachment):
        return filesizeformat(attachment.size)


class AttachmentInline(AttachmentDisplayMixin, admin.TabularInline):
    """Read-only attachment rows with thumbnails; deleting a row deletes its files."""

    model = Attachment
    extra = 0
    fields = DETAIL_FIELDS
    readonly_fields = DETAIL_FIELDS

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TicketAttachmentInline(AttachmentInline):
    """The files attached to the ticket itself."""

    fk_name = "ticket"
    verbose_name_plural = "attachments of the ticket"


class CommentAttachmentInline(AttachmentInline):
    """The files attached to a comment."""

    fk_name = "comment"


class OwnerKindFilter(admin.SimpleListFilter):
    """Attachments of tickets or of comments."""

    title = "attached to"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("ticket", "a ticket"), ("comment", "a comment")]

    def queryset(self, request, queryset):
        if self.value() == "ticket":
            return queryset.filter(ticket__isnull=False)
        if self.value() == "comment":
            return queryset.filter(comment__isnull=False)
        return queryset


@admin.register(Attachment)
class AttachmentAdmin(RecordedAdmin, AttachmentDisplayMixin, admin.ModelAdmin):
    """Every attachment, with its thumbnail and the ticket it belongs to; read-only, deletable."""

    list_display = [
        "thumbnail_small",
        "filename",
        "of_ticket",
        "comment",
        "content_type",
        "file_size",
        "created_at",
    ]
    list_display_links = ["filename"]
    list_filter = [OwnerKindFilter, "content_type", "created_at"]
    search_fields = ["filename", "=hash", "ticket__key", "comment__ticket__key"]
    list_select_related = ["ticket", "comment__ticket"]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    fields = ["ticket", "comment", "filename", *DETAIL_FIELDS, "hash", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="preview")
    def thumbnail_small(self, attachment):
        return thumbnail_img(attachment, 40) or "—"

    @admin.display(description="ticket", ordering="ticket__key")
    def of_ticket(self, attachment):
        """The ticket the attachment belongs to, directly or through its comment."""
        ticket = attachment.ticket or attachment.comment.ticket
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:tickets_ticket_change", args=[ticket.pk]), ticket.key
        )
