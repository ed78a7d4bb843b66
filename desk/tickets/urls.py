"""Tickets routes, the same on both mounts unless noted."""


def ticket_routes(mount):
    """The tickets routes of one mount."""
    return []
