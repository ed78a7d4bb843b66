"""Admin pages for comments, with their attachments; a new comment defaults to the admin as author."""

from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from desk.attachments.admin import CommentAttachmentInline
from desk.comments.models import Comment
from desk.comments.services import comment_update
from desk.events.admin_recording import RecordedAdmin
from desk.users.admin import person_label

AUTHOR_FIELDS = ["author_user", "author_customer"]


class CommentAdminForm(forms.ModelForm):
    """At most one author may be chosen; with none, the staff user adding the comment writes it."""

    default_author = None

    class Meta:
        model = Comment
        fields = ["ticket", *AUTHOR_FIELDS, "content", "private"]
        labels = {"author_user": "Author (staff user)", "author_customer": "Author (customer)"}
        help_texts = {"author_user": "Left blank with no customer chosen, the comment is yours."}

    def clean(self):
        cleaned = super().clean()
        if "author_user" not in self.fields:
            return cleaned  # An existing comment keeps its author.
        # With no author chosen the comment is the admin's; `Comment.clean()` refuses two.
        chosen = cleaned.get("author_user") or cleaned.get("author_customer")
        if not (chosen or self.has_error("author_user")):
            cleaned["author_user"] = self.default_author
        return cleaned


class AuthorKindFilter(admin.SimpleListFilter):
    """Comments by staff users or by customers."""

    title = "written by"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [("staff", "staff users"), ("customer", "customers")]

    def queryset(self, request, queryset):
        if self.value() == "staff":
            return queryset.filter(author_user__isnull=False)
        if self.value() == "customer":
            return queryset.filter(author_customer__isnull=False)
        return queryset


@admin.register(Comment)
class CommentAdmin(RecordedAdmin, admin.ModelAdmin):
    """Comments with their attachments; ticket and author are fixed once written."""

    form = CommentAdminForm
    list_display = ["id", "ticket", "author", "excerpt", "private", "created_at", "updated_at"]
    list_display_links = ["id", "excerpt"]
    list_filter = [
        "private",
        AuthorKindFilter,
        ("ticket__branch", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = [
        "content",
        "ticket__key",
        "author_user__username",
        "author_user__email",
        "author_customer__email",
    ]
    list_select_related = ["ticket", "author_user", "author_customer"]
    autocomplete_fields = ["ticket", *AUTHOR_FIELDS]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    inlines = [CommentAttachmentInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["ticket", *AUTHOR_FIELDS, "content", "private"]
        return ["ticket", "author", "content", "private", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The API never moves a comment to another ticket nor changes its author; neither does the admin.
        return [] if obj is None else ["ticket", "author", "created_at", "updated_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # get_form builds a new class per request, so this does not leak between admins.
        form.default_author = request.user
        return form

    def get_inlines(self, request, obj):
        # Attachments only arrive through the API, so a new comment has none to show.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        """A change goes through the API's service, so a comment turning private gets new download links."""
        if not change:
            return super().save_model(request, obj, form, change)
        comment_update(comment=obj, **{name: getattr(obj, name) for name in form.changed_data})

    @admin.display(description="author")
    def author(self, comment):
        return person_label(comment.author)

    @admin.display(description="content")
    def excerpt(self, comment):
        return Truncator(comment.content).chars(80)
