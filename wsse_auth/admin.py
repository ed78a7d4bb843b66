"""Admin pages for API keys: generate (the key is shown once), list and revoke."""

from django.contrib import admin, messages

from wsse_auth.models import ApiKey, Nonce
from wsse_auth.services import api_key_revoke


@admin.display(description="key")
def key_prefix(api_key):
    """Only the first characters: the whole key is shown once, when it is made."""
    return f"{api_key.key[:6]}…"


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = [key_prefix, "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [key_prefix, "label", "created_at", "last_used_at", "revoked_at"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Revoke selected API keys")
def revoke_keys(modeladmin, request, queryset):
    """Revoke the selected keys."""
    for api_key in queryset:
        api_key_revoke(api_key=api_key)
    modeladmin.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [key_prefix, "user", "customer", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at", "last_used_at"]
    search_fields = ["label", "user__username", "user__email", "customer__email"]
    list_select_related = ["user", "customer"]
    autocomplete_fields = ["user", "customer"]
    actions = [revoke_keys]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "customer", "label"]
        return [key_prefix, "user", "customer", "label", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [key_prefix, "user", "customer", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(request, f"New API key: {obj.key} (shown once, copy it now)", messages.WARNING)


@admin.register(Nonce)
class NonceAdmin(admin.ModelAdmin):
    list_display = ["fingerprint", "expires_at"]
    list_filter = ["expires_at"]
    search_fields = ["fingerprint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
