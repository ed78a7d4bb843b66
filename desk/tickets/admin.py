"""Admin pages for tickets, with their comments and attachments inline."""

from django.contrib import admin

from desk.attachments.models import Attachment
from desk.comments.models import Comment
from desk.tickets.models import Ticket, TicketKeyHistory


class CommentInline(admin.StackedInline):
    model = Comment
    extra = 0
    fields = ["author_user", "author_customer", "content", "private", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["author_user", "author_customer"]


class TicketAttachmentInline(admin.TabularInline):
    model = Attachment
    fk_name = "ticket"
    extra = 0
    fields = ["filename", "content_type", "size", "created_at"]
    readonly_fields = ["filename", "content_type", "size", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "subject",
        "branch",
        "status",
        "priority",
        "source",
        "assignee",
        "created_at",
        "updated_at",
    ]
    list_filter = ["status", "priority", "source", "branch", "assignee", "created_at", "updated_at"]
    search_fields = ["key", "subject", "description", "unique_id"]
    list_select_related = ["branch", "assignee"]
    readonly_fields = ["key", "number", "unique_id", "created_at", "updated_at"]
    autocomplete_fields = ["branch", "assignee", "reporter_user", "reporter_customer"]
    inlines = [CommentInline, TicketAttachmentInline]
    date_hierarchy = "created_at"


@admin.register(TicketKeyHistory)
class TicketKeyHistoryAdmin(admin.ModelAdmin):
    list_display = ["key", "ticket", "created_at"]
    search_fields = ["key", "ticket__key"]
    list_select_related = ["ticket"]
    autocomplete_fields = ["ticket"]
