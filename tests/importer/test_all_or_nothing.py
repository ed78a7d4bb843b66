"""All or nothing: refusals before any write, a failure halfway undone (rows and files), a dry run."""

import pytest
from django.core.management.base import CommandError

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket, TicketKeyHistory, Watcher
from desk.users.models import Customer, User
from tests.factories import make_customer, make_staff, make_ticket
from tests.importer import sample
from tests.importer.conftest import run_command
from wsse_auth.models import ApiKey

pytestmark = pytest.mark.django_db

IMPORTED_MODELS = [User, Customer, Branch, Ticket, TicketKeyHistory, Comment, Attachment, Watcher, ApiKey]


def snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in IMPORTED_MODELS
    }


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_refuses_a_target_that_holds_tickets(source_10):
    staff = make_staff("operator", id=900)
    make_ticket(staff)
    before = snapshot()
    with pytest.raises(CommandError, match="already holds tickets"):
        run_command(source_10)
    assert snapshot() == before


def test_existing_staff_users_are_fine_when_nothing_clashes(source_10, attachments_root):
    make_staff("operator", id=900)
    run_command(source_10, attachments_root=attachments_root)
    assert User.objects.get(username="operator").pk == 900
    assert User.objects.filter(pk__in=[1, 2, 5]).count() == 3


def test_refuses_an_id_clash_with_an_existing_staff_user_before_writing(
    source_10, settings, attachments_root
):
    make_staff("operator", id=2, email="op@example.com")
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        run_command(source_10, attachments_root=attachments_root)
    message = str(raised.value)
    assert "staff user id 2 (jsmith) is already taken" in message and "unchanged" in message
    assert snapshot() == before
    assert stored_files(settings) == []


def test_refuses_username_email_customer_and_branch_clashes(source_10):
    make_staff("admin", id=900, email="ADMIN@example.com")
    make_customer("Alice@Example.com")
    Branch.objects.create(name="Golden", key="GS")
    with pytest.raises(CommandError) as raised:
        run_command(source_10)
    message = str(raised.value)
    for problem in (
        "staff username 'admin'",
        "staff e-mail 'admin@example.com'",
        "customer e-mail 'alice@example.com'",
        "branch key 'GS'",
    ):
        assert problem in message


def test_refuses_an_unknown_or_disabled_superuser(source_10):
    with pytest.raises(CommandError) as raised:
        run_command(source_10, "--superuser", "nobody", "--superuser", "leaver")
    assert "--superuser nobody: no staff user" in str(raised.value)
    assert "--superuser leaver: that staff user is disabled" in str(raised.value)
    assert not User.objects.exists()


def test_superuser_option_is_repeatable(source_10, attachments_root):
    run_command(source_10, "--superuser", "admin", "--superuser", "jsmith", attachments_root=attachments_root)
    assert set(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == {
        "admin",
        "jsmith",
    }


def test_refuses_a_value_too_long_for_its_column(scratch):
    source = scratch()
    sample.load(source)
    source.execute("UPDATE diamante_user SET email = %s WHERE id = 4", ["d" * 243 + "@example.com"])
    with pytest.raises(CommandError, match="diamante_user 4: email is longer than 254 characters"):
        run_command(source)
    assert not Customer.objects.exists()


def test_failure_halfway_leaves_no_rows_and_no_files(source_10, attachments_root, settings):
    # The second attachment's path is a folder: unreadable, so the import stops after copying the first file.
    (attachments_root / "comment" / "screenshot.png").unlink()
    (attachments_root / "comment" / "screenshot.png").mkdir()
    make_staff("operator", id=900)
    before = snapshot()
    with pytest.raises(CommandError, match="screenshot.png exists but is not a readable file"):
        run_command(source_10, attachments_root=attachments_root)
    assert snapshot() == before
    assert stored_files(settings) == []


def test_dry_run_reads_and_checks_everything_and_writes_nothing(source_10, attachments_root, settings):
    run = run_command(source_10, "--dry-run", attachments_root=attachments_root)
    assert run.stdout.startswith("DiamanteDesk 1.0.x import report (dry run: nothing was written)")
    assert "tickets                    12" in run.stdout and "10: BILL-2 -> BILL-6" in run.stdout
    assert "Files missing: 1" in run.stdout
    assert all(not ids for ids in snapshot().values())
    assert stored_files(settings) == []


def _report_lines(text):
    """A report without its title and without the new random hashes and ids, which differ run to run."""
    return [line for line in text.splitlines()[1:] if " -> " not in line]


def test_dry_run_then_real_run_report_the_same(source_10, attachments_root):
    dry = run_command(source_10, "--dry-run", attachments_root=attachments_root).stdout
    real = run_command(source_10, attachments_root=attachments_root).stdout
    assert _report_lines(dry) == _report_lines(real)


def test_values_as_wide_as_the_originals_columns_come_over_whole(scratch):
    """On PostgreSQL a column too narrow would fail the import; nothing may be cut on any database."""
    source = scratch()
    sample.load(source)
    email = "e" * 242 + "@example.com"
    name = "N" * 255
    source.execute(
        "UPDATE diamante_user SET email = %s, first_name = %s, last_name = %s WHERE id = 4",
        [email, name, name],
    )
    source.execute(
        "UPDATE oro_user SET username = %s, first_name = %s, last_name = %s WHERE id = 2",
        ["u" * 255, name, name],
    )
    key = "K" * 255
    source.execute("UPDATE diamante_branch SET branch_key = %s, name = %s WHERE id = 3", [key, name])
    source.execute("UPDATE diamante_ticket SET subject = %s WHERE id = 4", [name])
    old_key = "H" * 250 + "-5"
    source.execute("UPDATE diamante_ticket_history SET ticket_key = %s WHERE id = 2", [old_key])
    run_command(source)
    dave = Customer.objects.get(pk=4)
    assert (len(dave.email), dave.first_name, dave.last_name) == (254, name, name)
    jane = User.objects.get(pk=2)
    assert (jane.username, jane.first_name, jane.last_name) == ("u" * 255, name, name)
    assert len(jane.password) > 128
    assert Branch.objects.get(pk=3).key == key and Branch.objects.get(pk=3).name == name
    assert Ticket.objects.get(pk=4).key == f"{key}-1" and Ticket.objects.get(pk=4).subject == name
    assert TicketKeyHistory.objects.get(ticket_id=3).key == old_key
    assert len(Customer.objects.get(pk=1).api_keys.get().key) == 88


def test_refuses_when_a_dangling_reference_would_name_an_existing_user(source_10):
    # The original's tickets and comments name oro_42, whom it no longer holds; the operator here is 42.
    make_staff("operator", id=42)
    with pytest.raises(CommandError) as raised:
        run_command(source_10)
    message = str(raised.value)
    assert "diamante_ticket.reporter_id names oro_42: a person of this installation has that id" in message
    assert "diamante_comment.author_id names oro_42" in message
    assert User.objects.count() == 1
