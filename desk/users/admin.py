"""Admin pages for staff users and customers, with their API keys."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from desk.users.models import Customer, User
from wsse_auth.admin import ApiKeyInline
from wsse_auth.services import api_key_create


@admin.action(description="Generate a new API key (shown once)")
def generate_api_key(modeladmin, request, queryset):
    """Make one new key per selected owner and show each once."""
    for owner in queryset:
        api_key = api_key_create(owner=owner, label="admin")
        modeladmin.message_user(
            request, f"New API key for {owner}: {api_key.key} (shown once, copy it now)", messages.WARNING
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_superuser", "is_active"]
    inlines = [ApiKeyInline]
    actions = [generate_api_key]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "created_at"]
    list_filter = ["is_active", "created_at"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [ApiKeyInline]
    actions = [generate_api_key]
