"""Webhooks in the admin: subscriptions with their delivery log, and redelivery as an action."""

from django.contrib import admin, messages

from desk.webhooks.delivery import delivery_redeliver
from desk.webhooks.models import Delivery, DeliveryAttempt, Webhook
from desk.webhooks.tasks import webhook_deliver


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("id", "url", "active", "event_types", "updated_at")
    list_filter = ("active",)
    search_fields = ("url", "description")


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "response_code", "duration_ms", "error", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "webhook",
        "event",
        "state",
        "attempts",
        "response_code",
        "duration_ms",
        "updated_at",
    )
    list_filter = ("state", "webhook")
    list_select_related = ("webhook", "event")
    readonly_fields = [field.name for field in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Deliver the selected again", permissions=["change"])
    def redeliver(self, request, queryset):
        for delivery in queryset:
            webhook_deliver.enqueue(delivery_redeliver(delivery=delivery).pk)
        self.message_user(request, f"{len(queryset)} delivery(ies) queued again.", messages.SUCCESS)
