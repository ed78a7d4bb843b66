"""How attachment changes appear in the event log, with the ticket or comment they belong to."""

from desk.attachments.models import Attachment
from desk.attachments.serializers import AttachmentSerializer
from desk.events.log import register


def represent(attachment, request):
    owner = {"ticket": attachment.ticket_id} if attachment.ticket_id else {"comment": attachment.comment_id}
    return {**AttachmentSerializer(attachment, context={"request": request}).data, **owner}


def scope(attachment):
    if attachment.ticket_id:
        return attachment.ticket_id, attachment.ticket.reporter_customer_id, False
    comment = attachment.comment
    return comment.ticket_id, comment.ticket.reporter_customer_id, comment.private


register(Attachment, entity="attachment", represent=represent, scope=scope)
