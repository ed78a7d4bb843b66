"""What tickets and comments share as holders of attachments: a list read from one prefetch."""

from django.db.models import Prefetch, Q

# Where a prefetch leaves an owner's attachments: a plain list, which costs no queryset per owner as
# a prefetched related manager does (one per comment of a page).
PREFETCHED = "prefetched_attachments"


def prefetch_attachments():
    """The prefetch `attachment_list` reads (a new one each time: Django prefixes it when nested)."""
    return Prefetch("attachments", to_attr=PREFETCHED)


def load_attachments(ticket, comments):
    """Give a ticket and some of its comments their `attachment_list`, read in one query.

    Two prefetches (the ticket's attachments, then its comments') cost two queries and Django's prefetch
    machinery for each.
    """
    from desk.attachments.models import Attachment

    by_comment = {comment.pk: [] for comment in comments}
    ticket_attachments = []
    for attachment in Attachment.objects.filter(Q(ticket=ticket) | Q(comment__in=list(by_comment))):
        owned = ticket_attachments if attachment.comment_id is None else by_comment[attachment.comment_id]
        owned.append(attachment)
    setattr(ticket, PREFETCHED, ticket_attachments)
    for comment in comments:
        setattr(comment, PREFETCHED, by_comment[comment.pk])


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
