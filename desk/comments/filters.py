"""Comment list filters."""

import django_filters

from desk.api.filtering import DeskFilterSet, IdFilter, PersonRefFilter, StrictBooleanFilter
from desk.comments.models import Comment


class CommentFilterSet(DeskFilterSet):
    """Ticket, author and privacy by equality; content by substring."""

    ticket = IdFilter(field_name="ticket_id")
    author = PersonRefFilter(user_column="author_user_id", customer_column="author_customer_id")
    content = django_filters.CharFilter(lookup_expr="icontains")
    private = StrictBooleanFilter(field_name="private")

    class Meta:
        model = Comment
        fields = []
