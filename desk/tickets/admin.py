"""Admin pages for tickets, with comments and attachments inline; numbering and moves go through services."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from desk.attachments.admin import TicketAttachmentInline, attachment_list
from desk.comments.models import Comment
from desk.comments.services import comment_update
from desk.events.admin_recording import RecordedAdmin
from desk.events.log import event_deletion, event_record
from desk.tickets.models import Ticket, TicketKeyHistory, Watcher
from desk.tickets.services import ticket_create, ticket_update
from desk.users.admin import person_label
from desk.users.models import Customer, User

PEOPLE_FIELDS = ["reporter_user", "reporter_customer", "assignee"]
ROW_FIELDS = ["key", "number", "unique_id", "created_at", "updated_at"]


def copy_row(source, target):
    """Give `target` the saved state of `source`, the same ticket as written by a service."""
    for field in Ticket._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


class TicketAdminForm(forms.ModelForm):
    """A ticket with its reporter, a staff user or a customer (`Ticket.clean()` holds the rule)."""

    class Meta:
        model = Ticket
        fields = ["branch", "subject", "description", "status", "priority", "source", *PEOPLE_FIELDS]
        labels = {"reporter_user": "Reporter (staff user)", "reporter_customer": "Reporter (customer)"}


class CommentInlineForm(forms.ModelForm):
    """A comment on the ticket page; a new one is written by the staff user who adds it."""

    class Meta:
        model = Comment
        fields = ["content", "private"]

    def __init__(self, *args, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and author is not None:
            self.instance.author_user = author


class CommentInline(admin.StackedInline):
    """The ticket's comments with their authors and attachments; new ones are added here too."""

    model = Comment
    form = CommentInlineForm
    extra = 0
    fields = ["author", "content", "private", "attachment_list", "created_at"]
    readonly_fields = ["author", "attachment_list", "created_at"]
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author_user", "author_customer")
            .prefetch_related("attachments")
        )

    @admin.display(description="author")
    def author(self, comment):
        return person_label(comment.author)

    @admin.display(description="attachments")
    def attachment_list(self, comment):
        if comment.pk is None:
            return "—"
        return attachment_list(comment.attachments.all()) or "—"


class WatcherInline(admin.TabularInline):
    """Who follows the ticket: staff users or customers, one per row."""

    model = Watcher
    extra = 0
    fields = ["user", "customer", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user", "customer"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "customer")


class ReporterKindFilter(admin.SimpleListFilter):
    """Tickets reported by staff users or by customers."""

    title = "reported by"
    parameter_name = "reporter"

    def lookups(self, request, model_admin):
        return [("staff", "staff users"), ("customer", "customers")]

    def queryset(self, request, queryset):
        if self.value() == "staff":
            return queryset.filter(reporter_user__isnull=False)
        if self.value() == "customer":
            return queryset.filter(reporter_customer__isnull=False)
        return queryset


@admin.register(Ticket)
class TicketAdmin(RecordedAdmin, admin.ModelAdmin):
    """Tickets with their comments and attachments; a new ticket is numbered in its branch."""

    form = TicketAdminForm
    list_display = [
        "key",
        "subject",
        "branch_key",
        "status",
        "priority",
        "reporter",
        "assignee",
        "comment_count",
        "updated_at",
    ]
    list_display_links = ["key", "subject"]
    list_filter = [
        "status",
        "priority",
        "source",
        ("branch", admin.RelatedOnlyFieldListFilter),
        ("assignee", admin.RelatedOnlyFieldListFilter),
        ReporterKindFilter,
        "created_at",
        "updated_at",
    ]
    search_fields = [
        "key",
        "subject",
        "description",
        "=unique_id",
        "reporter_user__username",
        "reporter_user__email",
        "reporter_customer__email",
    ]
    list_select_related = ["branch", "assignee", "reporter_user", "reporter_customer"]
    readonly_fields = ROW_FIELDS
    autocomplete_fields = ["branch", *PEOPLE_FIELDS]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    inlines = [CommentInline, WatcherInline, TicketAttachmentInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["branch", "subject", "description", ("status", "priority", "source")]}),
            (
                "People",
                {
                    "fields": PEOPLE_FIELDS,
                    "description": "The reporter is a staff user or a customer. Without an assignee, "
                    "a new ticket goes to its branch's default assignee.",
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(("Identity", {"fields": ROW_FIELDS}))
        return fieldsets

    def get_inlines(self, request, obj):
        # Attachments only arrive through the API, so a new ticket has none to show.
        return self.inlines if obj is not None else [CommentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The API only accepts active people as reporter or assignee; so does the admin.
        if db_field.name in ("reporter_user", "assignee"):
            kwargs["queryset"] = User.objects.filter(is_active=True)
        elif db_field.name == "reporter_customer":
            kwargs["queryset"] = Customer.objects.live().filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        """Edited comments go through the API's service, so one turning private gets new download links."""
        if formset.model is not Comment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for comment in formset.deleted_objects:
            with event_deletion(comment):
                comment.delete()
        for comment in formset.new_objects:
            comment.save()
            event_record(comment, "created")
        for comment, changed in formset.changed_objects:
            comment_update(comment=comment, **{name: getattr(comment, name) for name in changed})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CommentInline):
            kwargs["form_kwargs"] = {"author": request.user}
        return kwargs

    @admin.display(description="branch", ordering="branch__key")
    def branch_key(self, ticket):
        return ticket.branch.key

    @admin.display(description="reporter")
    def reporter(self, ticket):
        return person_label(ticket.reporter)

    @admin.display(description="comments", ordering="comment_total")
    def comment_count(self, ticket):
        return ticket.comment_total

    def save_model(self, request, obj, form, change):
        """Number a new ticket in its branch, and give a moved ticket a new key, as the API does."""
        if not change:
            saved = ticket_create(
                branch=obj.branch,
                subject=obj.subject,
                description=obj.description,
                status=obj.status,
                priority=obj.priority,
                source=obj.source,
                reporter=obj.reporter,
                assignee=obj.assignee,
            )
        else:
            changes = {name: getattr(obj, name) for name in form.changed_data if name != "branch"}
            moved_to = obj.branch if "branch" in form.changed_data else None
            saved = ticket_update(ticket=obj, branch=moved_to, **changes)
        copy_row(saved, obj)


@admin.register(TicketKeyHistory)
class TicketKeyHistoryAdmin(admin.ModelAdmin):
    """Old keys answer with redirects; they are written by moves only."""

    list_display = ["key", "ticket", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["key", "ticket__key"]
    list_select_related = ["ticket"]
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Watcher)
class WatcherAdmin(RecordedAdmin, admin.ModelAdmin):
    """Every ticket's watchers in one list; they are added and removed on the ticket's page or by the API."""

    list_display = ["ticket", "person", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["ticket__key", "user__username", "user__email", "customer__email"]
    list_select_related = ["ticket", "user", "customer"]
    autocomplete_fields = ["ticket", "user", "customer"]
    ordering = ["-id"]

    @admin.display(description="person")
    def person(self, watcher):
        return person_label(watcher.person)
