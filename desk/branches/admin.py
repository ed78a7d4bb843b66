"""Admin pages for branches; a key left blank is made from the name, as the API makes it."""

from django.contrib import admin
from django.db.models import Count

from desk.branches.models import Branch
from desk.events.admin_recording import RecordedAdmin


@admin.register(Branch)
class BranchAdmin(RecordedAdmin, admin.ModelAdmin):
    """Branches with their ticket counts."""

    list_display = [
        "key",
        "name",
        "default_assignee",
        "is_default",
        "tag_list",
        "ticket_count",
        "last_ticket_number",
        "created_at",
        "updated_at",
    ]
    list_display_links = ["key", "name"]
    list_filter = [
        "is_default",
        ("default_assignee", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "updated_at",
    ]
    search_fields = ["key", "name", "description"]
    list_select_related = ["default_assignee"]
    fields = [
        "name",
        "key",
        "description",
        "tags",
        "default_assignee",
        "is_default",
        "last_ticket_number",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["last_ticket_number", "created_at", "updated_at"]
    autocomplete_fields = ["default_assignee"]
    ordering = ["key"]

    def get_readonly_fields(self, request, obj=None):
        # The key is immutable once the branch exists: ticket keys are built from it.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "key"] if obj else fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ticket_total=Count("tickets"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "key" in form.base_fields:
            form.base_fields["key"].help_text = (
                "2 to 32 letters, Latin or Cyrillic; left blank, it is made from the name. "
                "It cannot be changed later."
            )
        return form

    @admin.display(description="tags")
    def tag_list(self, branch):
        return ", ".join(branch.tags) if isinstance(branch.tags, list) else ""

    @admin.display(description="tickets", ordering="ticket_total")
    def ticket_count(self, branch):
        return branch.ticket_total
