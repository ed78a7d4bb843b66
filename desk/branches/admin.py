"""Admin pages for branches."""

from django.contrib import admin

from desk.branches.models import Branch


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "default_assignee", "last_ticket_number", "created_at", "updated_at"]
    list_filter = ["default_assignee", "created_at", "updated_at"]
    search_fields = ["key", "name", "description"]
    list_select_related = ["default_assignee"]
    readonly_fields = ["last_ticket_number", "created_at", "updated_at"]
    autocomplete_fields = ["default_assignee"]

    def get_readonly_fields(self, request, obj=None):
        # The key is immutable once the branch exists: ticket keys are built from it.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "key"] if obj else fields
