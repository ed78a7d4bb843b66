"""Users routes, the same on both mounts unless noted."""


def user_routes(mount):
    """The users routes of one mount."""
    return []
