"""Admin pages for API keys: generated on an owner's page or in the key list (shown once), listed, revoked."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet

from desk.users.people import KEY_OWNER
from wsse_auth.models import ApiKey, Nonce
from wsse_auth.services import api_key_create, api_key_revoke

NEW_KEY_MESSAGE = "New API key for {owner}: {key} (shown once, copy it now)"


@admin.display(description="key")
def key_prefix(api_key):
    """Only the first characters: the whole key is shown once, when it is made."""
    return f"{api_key.key[:6]}…" if api_key.pk else "made when saved"


@admin.display(description="active", boolean=True)
def key_active(api_key):
    return api_key.pk is not None and api_key.is_active


def announce_new_key(modeladmin, request, api_key):
    """Show a new key to the admin who made it; this is the only time it is shown."""
    modeladmin.message_user(
        request, NEW_KEY_MESSAGE.format(owner=api_key.owner, key=api_key.key), messages.WARNING
    )


# What may be set on a key, and what it is: the same on its own page and on its row on its owner's page.
KEY_SETTINGS = ["label", "rate_limit"]
KEY_STATE = [key_active, "created_at", "last_used_at", "revoked_at"]


class RevocableKeyForm(forms.ModelForm):
    """A key's label, and a box that revokes an active key; a revoked key never comes back."""

    revoke = forms.BooleanField(required=False, help_text="The key stops working when this is saved.")

    class Meta:
        model = ApiKey
        fields = KEY_SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or not self.instance.is_active:
            self.fields["revoke"].disabled = True


class ApiKeyInlineForm(RevocableKeyForm):
    """A key row on its owner's page."""

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and owner is not None:
            KEY_OWNER.assign(self.instance, owner)

    def has_changed(self):
        # A row added with "Add another API key" asks for a key, even with no label typed.
        return self.instance.pk is None or super().has_changed()


class OwnedKeyFormSet(BaseInlineFormSet):
    """Hands each new row its owner, who may not be saved yet, so that `ApiKey.clean()` sees who it is."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owner": self.instance}


class ApiKeyInline(admin.TabularInline):
    """An owner's keys: add a row to generate one, tick "revoke" to revoke one."""

    model = ApiKey
    form = ApiKeyInlineForm
    formset = OwnedKeyFormSet
    extra = 0
    can_delete = False
    fields = [key_prefix, *KEY_SETTINGS, *KEY_STATE, "revoke"]
    readonly_fields = [key_prefix, *KEY_STATE]
    show_change_link = True


class ApiKeyOwnerMixin:
    """For the admins of key owners: revoke the ticked keys and show each new key once."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not ApiKey:
            return
        for key_form in formset.forms:
            if key_form.instance.pk and key_form.cleaned_data.get("revoke"):
                api_key_revoke(api_key=key_form.instance)
        for api_key in formset.new_objects:
            announce_new_key(self, request, api_key)


@admin.action(description="Generate a new API key (shown once)")
def generate_api_key(modeladmin, request, queryset):
    """Make one new key per selected owner and show each once."""
    for owner in queryset:
        announce_new_key(modeladmin, request, api_key_create(owner=owner, label="admin"))


@admin.action(description="Revoke selected API keys")
def revoke_keys(modeladmin, request, queryset):
    """Revoke the selected keys."""
    for api_key in queryset:
        api_key_revoke(api_key=api_key)
    modeladmin.message_user(request, f"Revoked {len(queryset)} key(s).", messages.SUCCESS)


class ApiKeyAddForm(forms.ModelForm):
    """A new key for one staff user or one customer (`ApiKey.clean()` holds the rule)."""

    class Meta:
        model = ApiKey
        fields = ["user", "customer", *KEY_SETTINGS]


class ActiveFilter(admin.SimpleListFilter):
    """Active or revoked keys."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "active"), ("revoked", "revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class OwnerKindFilter(admin.SimpleListFilter):
    """Keys of staff users or of customers."""

    title = "owner"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("staff", "staff users"), ("customer", "customers")]

    def queryset(self, request, queryset):
        if self.value() == "staff":
            return queryset.filter(user__isnull=False)
        if self.value() == "customer":
            return queryset.filter(customer__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Every API key; a key made here is shown once, and keys are revoked, never deleted or revived."""

    list_display = [key_prefix, "owner", "label", key_active, "created_at", "last_used_at", "revoked_at"]
    list_filter = [ActiveFilter, OwnerKindFilter, "created_at", "last_used_at", "revoked_at"]
    # Not by key: keys are stored encrypted, and the whole key is shown only once anyway.
    search_fields = ["label", "user__username", "user__email", "customer__email"]
    list_select_related = ["user", "customer"]
    autocomplete_fields = ["user", "customer"]
    actions = [revoke_keys]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = ApiKeyAddForm if obj is None else RevocableKeyForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "customer", *KEY_SETTINGS]
        return [key_prefix, "owner", *KEY_SETTINGS, *KEY_STATE, "revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [key_prefix, "owner", *KEY_STATE]

    @admin.display(description="owner")
    def owner(self, api_key):
        return api_key.owner

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            announce_new_key(self, request, obj)
        elif form.cleaned_data.get("revoke"):
            api_key_revoke(api_key=obj)


@admin.register(Nonce)
class NonceAdmin(admin.ModelAdmin):
    """Used nonces, kept until they expire; read-only."""

    list_display = ["fingerprint", "expires_at"]
    list_filter = ["expires_at"]
    search_fields = ["^fingerprint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
