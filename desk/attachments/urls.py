"""Attachments routes, the same on both mounts unless noted."""


def attachment_routes(mount):
    """The attachments routes of one mount."""
    return []
