"""How comment changes appear in the event log; private comments stay out of customers' feeds."""

from desk.comments.models import Comment
from desk.comments.serializers import CommentSerializer
from desk.events.log import register


def represent(comment, request):
    return CommentSerializer(comment, context={"request": request}).data


def scope(comment):
    return comment.ticket_id, comment.ticket.reporter_customer_id, comment.private


register(Comment, entity="comment", represent=represent, scope=scope)
