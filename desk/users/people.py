"""The Person representation shared by reporters, assignees and comment authors."""

from desk.api.renderers import FixedOrder


def person_representation(principal):
    """`{email, name, id}` in that order for a staff user (`oro_N`) or a customer (`diamante_N`)."""
    return FixedOrder(email=principal.email, name=principal.display_name, id=principal.person_id)
