"""What the admin tests share: the project's models, admin URLs, form bodies and a populated database."""

import re
from datetime import timedelta
from string import ascii_uppercase

from django import forms
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import TicketKeyHistory, Watcher
from desk.tickets.services import ticket_create
from tests.factories import make_customer, make_staff
from wsse_auth.models import Nonce

PROJECT_APPS = {"users", "branches", "tickets", "comments", "attachments", "wsse_auth"}
PROJECT_MODELS = [m for label in sorted(PROJECT_APPS) for m in apps.get_app_config(label).get_models()]
KEY = re.compile(r"\b[0-9a-f]{40}\b")


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def form_data(response):
    """The POST body the page's form sends when submitted unchanged: main form, inlines, management forms."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_on_page:
        for name, field in form.fields.items():
            value, key = form[name].value(), form.add_prefix(name)
            if field.disabled or value is None or value is False:
                continue
            if isinstance(field, forms.SplitDateTimeField):
                data[f"{key}_0"], data[f"{key}_1"] = value.date().isoformat(), value.time().isoformat()
            elif value is True:
                data[key] = "on"
            else:
                data[key] = value
    return data


def populate(count, tag):
    """`count` rows of every project model, named after `tag` so that sets do not collide."""
    for i in range(count):
        name = f"{tag}{ascii_uppercase[i]}"
        staff = make_staff(f"staff{name}", superuser=False)
        customer = make_customer(f"{name}@example.com")
        branch = Branch.objects.create(name=f"Branch {name}", key=f"K{name}", default_assignee=staff)
        ticket = ticket_create(
            branch=branch,
            subject=f"Subject {name}",
            description="Printer on fire",
            status="new",
            priority="low",
            source="web",
            reporter=customer,
        )
        comment = Comment.objects.create(ticket=ticket, author_customer=customer, content="Any news?")
        Comment.objects.create(ticket=ticket, author_user=staff, content="On it.", private=True)
        for owner in ({"ticket": ticket}, {"comment": comment}):
            Attachment.objects.create(
                filename="screen.png",
                file=f"attachments/x/{name}",
                thumbnail=f"thumbnails/x/{name}.png",
                **owner,
            )
        TicketKeyHistory.objects.create(key=f"OLD{name}-1", ticket=ticket)
        Watcher.objects.create(ticket=ticket, user=staff)
        Watcher.objects.create(ticket=ticket, customer=customer)
        Nonce.objects.create(fingerprint=f"{name}-nonce", expires_at=timezone.now() + timedelta(minutes=5))


def changelist_queries(client, model, params=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(model, "changelist") + params)
    assert response.status_code == 200
    return len(captured)


def ticket_add_body(branch, **fields):
    """The add form of a ticket, with no comments."""
    return {
        "branch": branch.pk,
        "subject": "Toner empty",
        "description": "Nothing prints.",
        "status": "open",
        "priority": "high",
        "source": "phone",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        **fields,
    }


def errors_of(response):
    """Field errors of the admin form on a page that did not save."""
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def files_of(*attachments):
    return [name for a in attachments for name in (a.file.name, a.thumbnail.name) if name]
