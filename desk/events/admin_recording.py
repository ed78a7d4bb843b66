"""The admin's writes recorded like the API's: one event per row saved or deleted, the admin user as actor."""

from django.db import transaction

from desk.events.log import event_deletion, event_record


class RecordedAdmin:
    """Mix into a ModelAdmin whose saves and deletes do not already go through a recording service."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            event_record(obj, "updated" if change else "created")

    def delete_model(self, request, obj):
        with transaction.atomic(), event_deletion(obj):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            deletions = [event_deletion(obj) for obj in queryset]
            super().delete_queryset(request, queryset)
            for deletion in deletions:
                deletion.record()

    def save_formset(self, request, form, formset, change):
        """Inline rows (comments and watchers on a ticket's page) are changes of their own."""
        with transaction.atomic():
            doomed = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
            deletions = [event_deletion(obj) for obj in doomed] if formset.can_delete else []
            super().save_formset(request, form, formset, change)
            for deletion in deletions:
                deletion.record()
            for obj in formset.new_objects:
                event_record(obj, "created")
            for obj, _ in formset.changed_objects:
                event_record(obj, "updated")
