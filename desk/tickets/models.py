"""Tickets, and the keys a ticket had before it moved to another branch."""

import uuid

from django.conf import settings
from django.db import connections, models
from django.db.models import BigIntegerField, Q
from django.db.models.expressions import RawSQL

from desk.attachments.owners import AttachmentOwner
from desk.tickets.filter_counts import kept_count_expression, like_pattern, text_condition
from desk.users.models import is_customer
from desk.users.people import REPORTER, WATCHER

TICKET_NOT_FOUND = "Ticket loading failed, ticket not found."


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"
    ON_HOLD = "on_hold", "On Hold"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Source(models.TextChoices):
    WEB = "web", "Web"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"


# A branch key (up to 255 characters, as the original's column) plus "-" and a 10-digit number.
KEY_LENGTH = 266


# Tickets per branch, kept by database triggers (migration 0006).
BRANCH_TICKET_COUNTS = "tickets_branchticketcount"
# Every ticket: the sum of the kept per-branch counts.
ALL_TICKETS = f"SELECT COALESCE(SUM(tickets), 0) FROM {BRANCH_TICKET_COUNTS}"


def new_unique_id():
    """A random 32-character lowercase hex id."""
    return uuid.uuid4().hex


class TicketQuerySet(models.QuerySet):
    """Tickets, narrowed to what a caller may reach."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (lookup, operand, its where clause) while the queryset is one kept filter of every ticket and
        # nothing else (desk/tickets/filter_counts.py).
        self._kept_filter = None

    def _clone(self):
        clone = super()._clone()
        clone._kept_filter = self._kept_filter
        return clone

    def containing(self, text, *fields):
        """Tickets whose `fields` (any of them) contain `text` in any case: the text filters and search."""
        pattern = like_pattern(connections[self.db], text)
        return self._filter_kept(text_condition(text, fields), " ".join(fields), pattern)

    def equal(self, field, value):
        """Tickets whose status, priority or source is `value`."""
        return self._filter_kept(Q(**{field: value}), field, value)

    def in_branch(self, branch_id):
        """Tickets of one branch, counted from the branch's kept count when that is the only filter."""
        return self._filter_kept(Q(branch_id=branch_id), "branch", branch_id)

    def _filter_kept(self, condition, lookup, operand):
        alone = self._is_every_ticket()
        clone = self.filter(condition)
        clone._kept_filter = (lookup, operand, clone.query.where.clone()) if alone else None
        return clone

    def count(self):
        """The exact count; of every ticket, the sum of the per-branch counts instead of a scan.

        The table `tickets_branchticketcount` (branch_id, tickets) is written only by the triggers of
        migration 0006, in the transaction that inserts, moves or deletes tickets, whoever writes them.
        It is no model: nothing but those triggers may change it.
        """
        if self._result_cache is None and self._is_every_ticket():
            with connections[self.db].cursor() as cursor:
                cursor.execute(ALL_TICKETS)
                # SUM of a bigint is a numeric (Decimal) on PostgreSQL.
                return int(cursor.fetchone()[0])
        return super().count()

    def count_expression(self):
        """A kept count for the page query to carry (desk/api/pagination.py); None when there is none."""
        if self._is_every_ticket():
            return RawSQL(ALL_TICKETS, (), BigIntegerField())
        kept = self._kept_filter
        query = self.query
        if kept is None or query.where != kept[2] or query.is_sliced or query.distinct or query.combinator:
            return None
        if kept[0] == "branch":
            # Every ticket insert keeps its branch's row (migration 0006): no row, no tickets.
            one = f"SELECT COALESCE((SELECT tickets FROM {BRANCH_TICKET_COUNTS} WHERE branch_id = %s), 0)"
            return RawSQL(one, (kept[1],), BigIntegerField())
        return kept_count_expression(self, kept[0], kept[1])

    def _is_every_ticket(self):
        query = self.query
        return not (query.where.children or query.is_sliced or query.distinct or query.combinator)

    def visible_to(self, principal):
        """Every ticket for staff; for a customer, the tickets it reported."""
        return self.filter(reporter_customer=principal) if is_customer(principal) else self


class Ticket(AttachmentOwner, models.Model):
    """A support ticket, numbered per branch."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="tickets")
    number = models.PositiveIntegerField(editable=False)
    # Branch key plus number; stored because keys are filtered and looked up, and a branch key never changes.
    key = models.CharField(max_length=KEY_LENGTH, unique=True, editable=False)
    unique_id = models.CharField(max_length=32, unique=True, default=new_unique_id, editable=False)
    subject = models.CharField(max_length=255)
    description = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_tickets",
    )
    reporter_customer = models.ForeignKey(
        "users.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="reported_tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    # Indexed with the id below: lists sort by a date and then by id.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "number"], name="tickets_ticket_branch_number_unique"),
            REPORTER.constraint("tickets_ticket_one_reporter"),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["priority"]),
            models.Index(fields=["source"]),
            models.Index(fields=["subject"]),
            models.Index(fields=["created_at", "id"], name="tickets_created_id_idx"),
            models.Index(fields=["updated_at", "id"], name="tickets_updated_id_idx"),
        ]

    def __str__(self):
        return f"{self.key}: {self.subject}"

    def clean(self):
        """A ticket has one reporter: a staff user or a customer."""
        REPORTER.check(self)

    @property
    def reporter(self):
        """The staff user or customer who reported the ticket."""
        return REPORTER.of(self)


class TicketKeyHistory(models.Model):
    """A key a ticket had before it moved, so that old links answer with a redirect."""

    key = models.CharField(max_length=KEY_LENGTH, unique=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="old_keys")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "ticket key history"

    def __str__(self):
        return f"{self.key} → {self.ticket_id}"


class WatcherQuerySet(models.QuerySet):
    """Watchers, narrowed to what a caller may reach."""

    def visible_to(self, principal):
        """Watchers of the tickets the principal may reach."""
        return (
            self.filter(ticket__in=Ticket.objects.visible_to(principal)) if is_customer(principal) else self
        )


class Watcher(models.Model):
    """A staff user or customer who follows a ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="watching"
    )
    customer = models.ForeignKey(
        "users.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="watching"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatcherQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            WATCHER.constraint("tickets_watcher_one_person"),
            models.UniqueConstraint(
                fields=["ticket", "user"],
                condition=models.Q(user__isnull=False),
                name="tickets_watcher_user_unique",
            ),
            models.UniqueConstraint(
                fields=["ticket", "customer"],
                condition=models.Q(customer__isnull=False),
                name="tickets_watcher_customer_unique",
            ),
        ]

    def __str__(self):
        return f"{self.person} watches {self.ticket_id}"

    def clean(self):
        """A watcher is one person: a staff user or a customer."""
        WATCHER.check(self)

    @property
    def person(self):
        """The staff user or customer who watches."""
        return WATCHER.of(self)
