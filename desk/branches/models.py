"""Branches: the queues tickets live in, each with its own key and ticket counter."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models

BRANCH_NOT_FOUND = "Branch loading failed. Branch not found."
# Latin or Cyrillic letters only (Ё/ё sit outside the А-я range).
KEY_LETTERS = "A-Za-zА-яЁё"
key_validator = RegexValidator(
    rf"^[{KEY_LETTERS}]{{2,32}}$", "Branch key should contain only 2 to 32 letters (Latin or Cyrillic)."
)
NAME_LETTERS_RE = re.compile(rf"[^{KEY_LETTERS}\s]+")


def key_from_name(name):
    """Make a branch key from a name: one word gives its first 4 letters, several words their initials."""
    words = NAME_LETTERS_RE.sub("", name or "").split()
    key = words[0][:4] if len(words) == 1 else "".join(word[0] for word in words)
    if len(key) < 2:
        raise ValidationError(
            "Can not generate key from given name. Name should have at least 2 letters.", code="key_from_name"
        )
    return key[:32].upper()


class BranchQuerySet(models.QuerySet):
    """Branches, with the one a ticket goes to when its creator names none."""

    def visible_to(self, principal):
        """Every branch, for staff and customers alike: customers file their tickets into them."""
        return self

    def default(self):
        """The branch marked default, else the one `DESK_DEFAULT_BRANCH` names; None without either."""
        wanted = models.Q(is_default=True)
        if settings.DESK_DEFAULT_BRANCH:
            wanted |= models.Q(key=settings.DESK_DEFAULT_BRANCH.upper())
        return self.filter(wanted).order_by("-is_default", "id").first()


class Branch(models.Model):
    """A branch (queue) of tickets."""

    name = models.CharField(max_length=255, validators=[MinLengthValidator(2)], db_index=True)
    # The contract tells "not given" (null) from an empty text.
    description = models.TextField(null=True, blank=True)  # noqa: DJ001
    # Blank only until clean() derives it from the name.
    # New keys are 2 to 32 letters (the validator); imported ones may be as long as the original allowed.
    key = models.CharField(max_length=255, unique=True, blank=True, validators=[key_validator])
    tags = models.JSONField(default=list, blank=True)
    default_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where a ticket created without a branch goes, as DiamanteDesk 2.0's "default branch" setting did.
    is_default = models.BooleanField(
        "default branch", default=False, help_text="New tickets that name no branch go here. At most one."
    )
    # The last ticket number handed out in this branch; only ever grows, so numbers are never reused.
    last_ticket_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = BranchQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "branches"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="branches_branch_one_default",
                violation_error_message="Another branch is already the default branch; unmark it first.",
            )
        ]

    def __str__(self):
        return f"{self.key}: {self.name}"

    def clean(self):
        """Normalise the key and derive it from the name when absent."""
        if self.key:
            self.key = self.key.upper()
        elif self.name:
            self.key = key_from_name(self.name)
        if not isinstance(self.tags, list) or not all(isinstance(tag, str) for tag in self.tags):
            raise ValidationError({"tags": "Tags should be a list of strings."})
