"""Staff users (agents and admins) and customers (portal users)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


def is_customer(principal):
    """Whether an authenticated principal is a customer rather than a staff user."""
    return isinstance(principal, Customer)


class StaffUserQuerySet(models.QuerySet):
    """Staff users, narrowed to what a caller may reach."""

    def visible_to(self, principal):
        """Staff users stand behind `oro_N`; placeholders for people the original lost are never shown."""
        return self.none() if is_customer(principal) else self.filter(is_placeholder=False)


class StaffUserManager(UserManager.from_queryset(StaffUserQuerySet)):
    """Django's user manager, with the staff-user selectors."""


class User(AbstractUser):
    """A staff user: logs into the admin and uses the staff mount of the API."""

    # As wide as the original's columns, so imported values are never cut.
    username = models.CharField(
        max_length=255,
        unique=True,
        validators=[AbstractUser.username_validator],
        error_messages={"unique": "A user with that username already exists."},
    )
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    # Room for hashes imported from the original (its salt and digest together pass Django's 128).
    password = models.CharField(max_length=255)
    # Stands in for a user the original's data names but no longer holds: never listed, never signs in.
    is_placeholder = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffUserManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="users_user_email_unique_ci"
            ),
        ]

    @property
    def person_id(self):
        """The id the API shows for this user as a person."""
        return f"oro_{self.pk}"

    @property
    def display_name(self):
        """First and last name as the API shows them."""
        return f"{self.first_name} {self.last_name}".strip()


class CustomerQuerySet(models.QuerySet):
    """Customers, with the soft-deleted ones set apart."""

    def live(self):
        """Customers not deleted: the ones lists, lookups and sign-ins see."""
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, principal):
        """Live customers for staff; a customer reaches only itself."""
        live = self.live()
        return live.filter(pk=principal.pk) if is_customer(principal) else live


class Customer(models.Model):
    """A customer: reports tickets and uses the customer mount of the API."""

    email = models.EmailField(max_length=254)
    first_name = models.CharField(max_length=255)
    last_name = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)
    # Deleting a customer is soft, as DiamanteDesk 2.0 did: its tickets and comments keep their reporter.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CustomerQuerySet.as_manager()

    # What DRF and Django expect of an authenticated principal.
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    class Meta:
        ordering = ["id"]
        constraints = [
            # A deleted customer's email may be taken again by a new one.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(deleted_at__isnull=True),
                name="users_customer_email_unique_ci",
            )
        ]
        indexes = [models.Index(fields=["first_name"]), models.Index(fields=["last_name"])]

    def __str__(self):
        return f"{self.display_name} <{self.email}>"

    @property
    def is_deleted(self):
        """Whether the customer was deleted (softly)."""
        return self.deleted_at is not None

    @property
    def person_id(self):
        """The id the API shows for this customer as a person."""
        return f"diamante_{self.pk}"

    @property
    def display_name(self):
        """First and last name as the API shows them."""
        return f"{self.first_name} {self.last_name}".strip()

    def has_perm(self, perm, obj=None):
        """Customers hold no model permissions; their rights are the customer mount's rules."""
        return False
