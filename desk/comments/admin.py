"""Admin pages for comments."""

from django.contrib import admin

from desk.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "ticket", "author_user", "author_customer", "private", "created_at", "updated_at"]
    list_filter = ["private", "created_at", "updated_at"]
    search_fields = ["content", "ticket__key"]
    list_select_related = ["ticket", "author_user", "author_customer"]
    autocomplete_fields = ["ticket", "author_user", "author_customer"]
