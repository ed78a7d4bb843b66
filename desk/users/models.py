"""Staff users (agents and admins) and customers (portal users)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A staff user: logs into the admin and uses the staff mount of the API."""

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


class Customer(models.Model):
    """A customer: reports tickets and uses the customer mount of the API."""

    email = models.EmailField(max_length=254)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # What DRF and Django expect of an authenticated principal.
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(Lower("email"), name="users_customer_email_unique_ci")]
        indexes = [models.Index(fields=["first_name"]), models.Index(fields=["last_name"])]

    def __str__(self):
        return f"{self.display_name} <{self.email}>"

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
