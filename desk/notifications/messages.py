"""The messages of an event: subject `[KEY] what happened`, text and HTML from templates, thread headers.

Each ticket's messages form one thread: the ticket's creation has Message-ID `<ticket-<unique id>@host>`
and every later message answers it (`In-Reply-To` and `References`), so mail clients keep them together
without the server storing message ids.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import select_template

from desk.users.people import KINDS, parse_person_ref

# What happened, as the original's notifications said it.
HEADLINES = {
    "ticket.created": "Ticket was created",
    "ticket.updated": "Ticket was updated",
    "ticket.moved": "Ticket was moved",
    "ticket.status_changed": "Ticket status was changed",
    "ticket.assignee_changed": "Ticket was reassigned",
    "ticket.deleted": "Ticket was removed",
    "comment.created": "Comment was created",
    "comment.updated": "Comment was updated",
    "comment.deleted": "Comment was removed",
    "attachment.created": "Attachment was added",
    "attachment.deleted": "Attachment was removed",
}
NOTIFIED = frozenset(HEADLINES)


def headline(event):
    """What happened, in words: `Private comment was created` for a private one."""
    text = HEADLINES[event.type]
    return f"Private {text[0].lower()}{text[1:]}" if event.private and event.entity == "comment" else text


def actor_name(event):
    """The name of whoever made the change; "" for a command."""
    parsed = parse_person_ref(event.actor)
    if parsed is None:
        return ""
    person = KINDS[parsed[0]].objects.filter(pk=parsed[1]).first()
    return (person.display_name or person.email) if person else event.actor


def thread_root(ticket_unique_id):
    return f"<ticket-{ticket_unique_id}@{settings.DESK_MAIL_DOMAIN}>"


def context_for(event, ticket):
    """What the templates show: the ticket, who acted, the changes, the comment or the file."""
    data = event.data
    changes = [
        {
            "field": name.replace("_", " ").capitalize(),
            "before": change.get("from"),
            "after": change.get("to"),
        }
        for name, change in (event.changes or {}).items()
    ]
    return {
        "event": event,
        "ticket": ticket,
        "ticket_subject": ticket.subject if ticket is not None else data.get("subject", ""),
        "actor": actor_name(event),
        "changes": changes,
        "content": data.get("content") if event.entity == "comment" else None,
        "filename": (data.get("file") or {}).get("filename") if event.entity == "attachment" else None,
    }


def build(event, ticket, recipient, context):
    """One message for one recipient."""
    key = ticket.key if ticket is not None else event.data.get("key", "")
    subject = f"[{key}] {headline(event)}"
    names = [f"notifications/{event.type}.{{}}", "notifications/event.{}"]
    context = {**context, "recipient": recipient, "subject": subject, "key": key, "headline": headline(event)}
    text = select_template([name.format("txt") for name in names]).render(context)
    html = select_template([name.format("html") for name in names]).render(context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[f"{recipient.display_name} <{recipient.email}>" if recipient.display_name else recipient.email],
    )
    message.attach_alternative(html, "text/html")
    unique_id = ticket.unique_id if ticket is not None else event.data.get("unique_id", {}).get("id")
    if unique_id:
        root = thread_root(unique_id)
        if event.type == "ticket.created":
            message.extra_headers["Message-ID"] = root
        else:
            own = f"<event-{event.pk}.{recipient.person_id}@{settings.DESK_MAIL_DOMAIN}>"
            message.extra_headers["Message-ID"] = own
            message.extra_headers["In-Reply-To"] = root
            message.extra_headers["References"] = root
    return message
