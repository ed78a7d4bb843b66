"""People: a staff user (`oro_N`) or a customer (`diamante_N`), and the column pairs that hold one."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce

from desk.api.renderers import FixedOrder
from desk.users.models import Customer, User, is_customer

USER_NOT_FOUND = "User loading failed. User not found"
# Also the OpenAPI pattern of such a reference.
PERSON_REF_PATTERN = r"^(oro|diamante)_([0-9]{1,18})$"
PERSON_REF = re.compile(PERSON_REF_PATTERN)
PERSON_REF_MESSAGE = 'Should be "oro_<staff id>" or "diamante_<customer id>".'
KINDS = {"oro": User, "diamante": Customer}


def parse_person_ref(reference):
    """`("oro" | "diamante", id)` for `oro_N` or `diamante_N`; None for anything else."""
    match = PERSON_REF.match(reference.strip()) if isinstance(reference, str) else None
    return (match[1], int(match[2])) if match else None


PERSON_SCHEMA = {
    "type": "object",
    "description": "A reporter, assignee or comment author. Keys in this order.",
    "properties": {
        "email": {"type": "string", "format": "email"},
        "name": {"type": "string", "description": "First and last name.", "example": "Ada Lovelace"},
        "id": {"type": "string", "pattern": PERSON_REF_PATTERN, "example": "oro_1"},
    },
    "required": ["email", "name", "id"],
}
PERSON_PATH_PARAMETER = {
    "schema": {"type": "string", "pattern": PERSON_REF_PATTERN, "example": "diamante_5"},
    "description": "`oro_N` for a staff user, `diamante_N` for a customer.",
}


def person_representation(principal):
    """`{email, name, id}` in that order for a staff user (`oro_N`) or a customer (`diamante_N`)."""
    return FixedOrder(email=principal.email, name=principal.display_name, id=principal.person_id)


def person_by_email(email):
    """The live customer with this email, else the staff user with it, in any case; None if neither."""
    return (
        Customer.objects.live().filter(email__iexact=email, is_active=True).first()
        or User.objects.filter(email__iexact=email, is_active=True).exclude(email="").first()
    )


def _holds(instance, name):
    """Whether a relation is set: by its id, or by a person not saved yet (a customer added with a key)."""
    if getattr(instance, f"{name}_id") is not None:
        return True
    field = instance._meta.get_field(name)
    return field.is_cached(instance) and field.get_cached_value(instance) is not None


class PersonPair:
    """A staff user or a customer held in two columns, `<name>_user` and `<name>_customer`, exactly one set.

    Tickets hold their reporter this way, comments their author, watchers and API keys their person.
    """

    def __init__(self, name="", label=None, *, none_message=None, both_message=None):
        prefix = f"{name}_" if name else ""
        self.name, self.label = name or "person", label or name
        self.user, self.customer = f"{prefix}user", f"{prefix}customer"
        generic = f"A {self.label} is a staff user or a customer, exactly one of them."
        self.none_message, self.both_message = none_message or generic, both_message or generic

    def assign(self, instance, person):
        """Make `person` (a staff user or a customer) the one the pair holds."""
        setattr(instance, self.customer, person if is_customer(person) else None)
        setattr(instance, self.user, None if is_customer(person) else person)

    def of(self, instance):
        """The staff user or customer the pair holds."""
        return getattr(instance, self.user) or getattr(instance, self.customer)

    def ids(self, instance):
        """The two id columns' values: (staff user id, customer id), one of them None."""
        return getattr(instance, f"{self.user}_id"), getattr(instance, f"{self.customer}_id")

    def reference(self, instance):
        """`oro_N` or `diamante_N`, read from the id columns without loading the person."""
        user_id, customer_id = self.ids(instance)
        return f"oro_{user_id}" if user_id else f"diamante_{customer_id}"

    def kind(self, instance):
        """`oro` for a staff user, `diamante` for a customer."""
        return "oro" if self.ids(instance)[0] else "diamante"

    def id(self, instance):
        """The bare id of the person, whichever kind."""
        user_id, customer_id = self.ids(instance)
        return user_id or customer_id

    def check(self, instance):
        """The one-person rule, for `Model.clean()`: the admin and the API share it.

        The error names a column, so a form shows it on the field rather than the constraint's generic text.
        """
        has_user, has_customer = _holds(instance, self.user), _holds(instance, self.customer)
        if not (has_user or has_customer):
            raise ValidationError({self.user: self.none_message})
        if has_user and has_customer:
            raise ValidationError({self.customer: self.both_message})

    def constraint(self, name):
        """The database's side of the one-person rule."""
        has_user, has_customer = f"{self.user}__isnull", f"{self.customer}__isnull"
        return models.CheckConstraint(
            condition=models.Q(**{has_user: False, has_customer: True})
            | models.Q(**{has_user: True, has_customer: False}),
            name=name,
        )

    def matching(self, kind, pk):
        """A filter for the rows holding the person `kind`/`pk`, from a parsed `oro_N`/`diamante_N`."""
        return models.Q(**{f"{self.user if kind == 'oro' else self.customer}_id": pk})

    def sort_keys(self):
        """Annotations to sort by person: staff (oro) before customers (diamante), then by id; no NULLs."""
        return {
            f"{self.name}_kind": models.Case(
                models.When(**{f"{self.user}_id__isnull": False, "then": models.Value(0)}),
                default=models.Value(1),
                output_field=models.IntegerField(),
            ),
            f"{self.name}_number": Coalesce(f"{self.user}_id", f"{self.customer}_id"),
        }

    @property
    def sort_fields(self):
        """The annotation names `sort_keys` gives, in sorting order."""
        return (f"{self.name}_kind", f"{self.name}_number")


REPORTER = PersonPair(
    "reporter",
    none_message="A ticket needs a reporter: a staff user or a customer.",
    both_message="Choose a staff user or a customer as reporter, not both.",
)
AUTHOR = PersonPair(
    "author",
    none_message="A comment needs an author: a staff user or a customer.",
    both_message="Choose a staff user or a customer as author, not both.",
)
WATCHER = PersonPair(label="watcher")
KEY_OWNER = PersonPair(
    label="key owner",
    none_message="Choose the staff user or the customer the key is for.",
    both_message="Choose a staff user or a customer, not both.",
)
