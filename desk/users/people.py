"""The Person representation shared by reporters, assignees and comment authors."""

from desk.api.renderers import FixedOrder
from desk.users.models import Customer, User


def person_representation(principal):
    """`{email, name, id}` in that order for a staff user (`oro_N`) or a customer (`diamante_N`)."""
    return FixedOrder(email=principal.email, name=principal.display_name, id=principal.person_id)


def person_by_email(email):
    """The live customer with this email, else the staff user with it, in any case; None if neither."""
    return (
        Customer.objects.live().filter(email__iexact=email, is_active=True).first()
        or User.objects.filter(email__iexact=email, is_active=True).exclude(email="").first()
    )
