"""What tickets and comments share as holders of attachments: a list read from one prefetch."""

from django.db.models import Prefetch

# Where a prefetch leaves an owner's attachments: a plain list, which costs no queryset per owner as
# a prefetched related manager does (one per comment of a page).
PREFETCHED = "prefetched_attachments"


def prefetch_attachments():
    """The prefetch `attachment_list` reads (a new one each time: Django prefixes it when nested)."""
    return Prefetch("attachments", to_attr=PREFETCHED)


class AttachmentOwner:
    """A model whose rows hold attachments, as `attachment_list`."""

    @property
    def attachment_list(self):
        """The attachments by id: the prefetched ones when a view prefetched them, else one query."""
        prefetched = self.__dict__.get(PREFETCHED)
        return prefetched if prefetched is not None else list(self.attachments.all())

    def hold_attachments(self, attachments):
        """Know the attachments without reading them: a write that just stored them (or none) says so."""
        setattr(self, PREFETCHED, list(attachments))
