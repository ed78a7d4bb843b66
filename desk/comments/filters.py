"""Comment list filters."""

import django_filters

from desk.api.filtering import DeskFilterSet, IdFilter, StrictBooleanFilter
from desk.comments.models import Comment
from desk.users.filters import PersonRefFilter
from desk.users.people import AUTHOR


class CommentFilterSet(DeskFilterSet):
    """Ticket, author and privacy by equality; content by substring."""

    ticket = IdFilter(field_name="ticket_id")
    author = PersonRefFilter(pair=AUTHOR)
    content = django_filters.CharFilter(lookup_expr="icontains")
    private = StrictBooleanFilter(field_name="private")

    class Meta:
        model = Comment
        fields = []
