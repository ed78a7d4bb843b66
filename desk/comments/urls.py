"""Comments routes, the same on both mounts unless noted."""


def comment_routes(mount):
    """The comments routes of one mount."""
    return []
