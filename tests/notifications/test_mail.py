"""E-mail notifications through Django's test outbox: recipients, subjects, threading, private comments."""

import pytest
from django.core import mail
from django.core.management import call_command

from tests.conftest import client_for
from tests.factories import make_branch, make_customer, make_staff
from tests.tickets.factories import ticket_body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _mail_on(settings):
    settings.DESK_MAIL_NOTIFICATIONS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DESK_MAIL_DOMAIN = "desk.test"
    settings.DESK_MAIL_RETRY_BASE_SECONDS = 0


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.01", verbosity=0)


@pytest.fixture
def world(db):
    agent = make_staff("agent", first_name="Ada", last_name="Agent")
    boss = make_staff("boss")
    reporter = make_customer("carla@example.com")
    branch = make_branch(default_assignee=agent)
    return agent, boss, reporter, branch


def open_ticket(reporter, branch):
    body = ticket_body(
        branch,
        reporter,
        subject="Printer on fire",
        description="It smokes.",
        status="new",
        priority="low",
        source="web",
    )
    del body["reporter"]  # the calling customer reports it
    response = client_for(reporter).post("tickets", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def to(message):
    return [address.split("<")[-1].rstrip(">") for address in message.to]


def test_a_ticket_created_by_its_reporter_mails_the_assignee_once(world):
    agent, _, reporter, branch = world
    ticket = open_ticket(reporter, branch)
    assert mail.outbox == []  # nothing is sent from the request
    run_worker()
    (message,) = mail.outbox
    assert to(message) == [agent.email]
    assert message.subject == f"[{ticket['key']}] Ticket was created"
    assert message.extra_headers["Message-ID"] == f"<ticket-{ticket['unique_id']['id']}@desk.test>"
    assert "Printer on fire" in message.body and "Carla Customer" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<strong>" in html
    run_worker()
    assert len(mail.outbox) == 1


def test_later_messages_thread_under_the_ticket_and_skip_the_actor(world):
    agent, boss, reporter, branch = world
    ticket = open_ticket(reporter, branch)
    staff = client_for(agent)
    staff.post(f"tickets/{ticket['id']}/watchers", {"id": f"oro_{boss.pk}"}, format="json")
    run_worker()
    mail.outbox.clear()
    staff.patch(f"tickets/{ticket['id']}", {"status": "open"}, format="json")
    run_worker()
    assert sorted(to(message)[0] for message in mail.outbox) == sorted([reporter.email, boss.email])
    root = f"<ticket-{ticket['unique_id']['id']}@desk.test>"
    for message in mail.outbox:
        assert message.subject == f"[{ticket['key']}] Ticket status was changed"
        assert message.extra_headers["In-Reply-To"] == message.extra_headers["References"] == root
        assert message.extra_headers["Message-ID"] != root
        assert "Status: new -> open" in message.body


def test_customers_never_hear_of_private_comments(world):
    agent, boss, reporter, branch = world
    ticket = open_ticket(reporter, branch)
    client_for(agent).post(f"tickets/{ticket['id']}/watchers", {"id": f"oro_{boss.pk}"}, format="json")
    run_worker()
    mail.outbox.clear()
    body = {
        "ticket": ticket["id"],
        "author": f"oro_{agent.pk}",
        "content": "Internal: it is the toner",
        "private": True,
    }
    client_for(agent).post("comments", body, format="json")
    run_worker()
    (message,) = mail.outbox
    assert to(message) == [boss.email]
    assert message.subject == f"[{ticket['key']}] Private comment was created"
    assert "it is the toner" in message.body
    mail.outbox.clear()
    client_for(agent).post("comments", {**body, "private": False, "content": "Public now"}, format="json")
    run_worker()
    assert sorted(to(message)[0] for message in mail.outbox) == sorted([reporter.email, boss.email])
    assert all(message.subject.endswith("] Comment was created") for message in mail.outbox)


def test_a_deleted_ticket_is_announced_to_its_people(world):
    agent, boss, reporter, branch = world
    ticket = open_ticket(reporter, branch)
    run_worker()
    mail.outbox.clear()
    assert client_for(boss).delete(f"tickets/{ticket['id']}").status_code == 204
    run_worker()
    assert sorted(to(message)[0] for message in mail.outbox) == sorted([reporter.email, agent.email])
    assert {message.subject for message in mail.outbox} == {f"[{ticket['key']}] Ticket was removed"}


def test_off_by_default(world, settings):
    settings.DESK_MAIL_NOTIFICATIONS = False
    _, _, reporter, branch = world
    open_ticket(reporter, branch)
    run_worker()
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_the_write_stands(world, monkeypatch):
    agent, _, reporter, branch = world
    from django.core.mail.backends import locmem

    real = locmem.EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(messages)
        if len(calls) == 1:
            raise ConnectionRefusedError("smtp down")
        return real(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", flaky)
    ticket = open_ticket(reporter, branch)
    run_worker()
    assert len(calls) == 2
    (message,) = mail.outbox
    assert message.subject == f"[{ticket['key']}] Ticket was created"
