"""Admin pages for staff users and customers, with their API keys: generate (shown once) and revoke."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Count, Q

from desk.events.admin_recording import RecordedAdmin
from desk.users.models import Customer, User
from wsse_auth.admin import ApiKeyInline, ApiKeyOwnerMixin, generate_api_key

ACTIVE_KEYS = Count("api_keys", filter=Q(api_keys__revoked_at__isnull=True), distinct=True)


def person_label(person):
    """A staff user or customer as the admin lists them, saying which of the two it is."""
    if person is None:
        return "—"
    if isinstance(person, Customer):
        return f"{person} (customer)"
    return f"{person.username} (staff)"


def email_taken(model, email, instance):
    """Whether another row already has this email in any letter case (the database refuses it too)."""
    return model.objects.filter(email__iexact=email).exclude(pk=instance.pk).exists()


class StaffUserChangeForm(UserChangeForm):
    """Django's user form, with the email unique in any letter case."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and email_taken(User, email, self.instance):
            raise forms.ValidationError("A staff user with this email already exists.")
        return email


class CustomerForm(forms.ModelForm):
    """A customer, with the email unique in any letter case."""

    class Meta:
        model = Customer
        fields = ["email", "first_name", "last_name", "is_active"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email_taken(Customer, email, self.instance):
            raise forms.ValidationError("A customer with this email already exists.")
        return email


class KeyCountMixin:
    """A column with the number of active API keys, counted in the list query itself."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(active_key_count=ACTIVE_KEYS)

    @admin.display(description="active API keys", ordering="active_key_count")
    def active_keys(self, owner):
        return owner.active_key_count


@admin.register(User)
class UserAdmin(ApiKeyOwnerMixin, KeyCountMixin, DjangoUserAdmin):
    """Staff users with their API keys."""

    form = StaffUserChangeForm
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_superuser",
        "is_active",
        "active_keys",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "last_login", "date_joined"]
    inlines = [ApiKeyInline]
    actions = [generate_api_key]


@admin.register(Customer)
class CustomerAdmin(RecordedAdmin, ApiKeyOwnerMixin, KeyCountMixin, admin.ModelAdmin):
    """Customers with their API keys."""

    form = CustomerForm
    list_display = [
        "email",
        "first_name",
        "last_name",
        "is_active",
        "active_keys",
        "created_at",
        "updated_at",
        "deleted_at",
    ]
    list_filter = ["is_active", ("deleted_at", admin.EmptyFieldListFilter), "created_at", "updated_at"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["created_at", "updated_at", "deleted_at"]
    fields = ["email", "first_name", "last_name", "is_active", "created_at", "updated_at", "deleted_at"]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    inlines = [ApiKeyInline]
    actions = [generate_api_key]
