"""The event log in the admin: read-only, searchable by type and entity."""

from django.contrib import admin

from desk.events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "entity_id", "ticket_id", "actor", "created_at")
    list_filter = ("entity", "type")
    search_fields = ("type", "actor")
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
