"""The importer checklist on a DiamanteDesk 1.0.x database: what lands in each table, and what the report says."""

from datetime import UTC, datetime

from django.contrib.auth.hashers import check_password

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.tickets.models import Ticket, TicketKeyHistory, Watcher
from desk.users.models import Customer, User
from tests.factories import stored_key
from tests.importer import sample


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_report_names_the_version_and_counts_every_table(imported_10):
    out = imported_10.stdout
    assert out.startswith("DiamanteDesk 1.0.x import report\n")
    for line in (
        "staff users                 3",
        "customers                   5",
        "tickets                    12",
        "comments                   10",
        "attachments                 5",
        "ticket key history          1",
    ):
        assert line in out


def test_progress_bar_per_table(imported_10):
    lines = imported_10.stderr.splitlines()
    tables = [line.split("[")[0].strip() for line in lines]
    assert tables == [
        "staff users",
        "staff API keys",
        "customers",
        "branches",
        "tickets",
        "ticket key history",
        "comments",
        "attachments",
    ]
    assert all("rows/s" in line and "left" in line for line in lines)
    assert "12/12" in lines[4]


def test_staff_keep_ids_names_and_keys(imported_10):
    admin = User.objects.get(pk=1)
    assert (admin.username, admin.email, admin.first_name, admin.last_name) == (
        "admin",
        "admin@example.com",
        "John",
        "Doe",
    )
    assert admin.is_superuser and admin.is_staff and admin.is_active and not admin.is_placeholder
    assert admin.last_login == utc("2015-08-11 10:58:12") and admin.date_joined == utc("2015-07-30 11:58:03")
    assert list(admin.api_keys.values_list("key", flat=True)) == [sample.ADMIN_KEY]
    jane = User.objects.get(pk=2)
    assert jane.is_staff and not jane.is_superuser
    assert jane.groups.get().name == "Helpdesk staff"
    assert jane.has_perm("tickets.change_ticket") and jane.has_perm("users.view_customer")
    assert not jane.has_perm("users.change_user") and not jane.has_perm("wsse_auth.add_apikey")


def test_disabled_staff_cannot_log_in_or_sign(imported_10):
    leaver = User.objects.get(pk=5)
    assert not leaver.is_active and not leaver.is_staff and not leaver.groups.exists()
    assert leaver.api_keys.get().key == sample.DISABLED_KEY
    assert "disabled in the original: cannot log in or sign: 1\n    leaver" in imported_10.stdout


def test_staff_password_is_oros_hash(imported_10, settings):
    settings.PASSWORD_HASHERS = ["desk.users.hashers.OroSHA512PasswordHasher"]
    admin = User.objects.get(pk=1)
    assert admin.password.startswith("oro_sha512$" + sample.ADMIN_SALT + "$")
    assert check_password(sample.ADMIN_PASSWORD, admin.password)


def test_customers_paired_by_email_with_secrets_verbatim(imported_10):
    alice = Customer.objects.get(pk=1)
    assert (alice.email, alice.first_name, alice.last_name, alice.is_active) == (
        "alice@example.com",
        "Alice",
        "Walker",
        True,
    )
    assert alice.api_keys.get().key == sample.portal_secret(sample.ALICE_PASSWORD)
    assert len(alice.api_keys.get().key) == 88
    # The login spells bob's e-mail in another case: diamante_user's spelling wins.
    assert Customer.objects.get(pk=2).email == "bob@example.org"
    assert "e-mail case differs from its login's: diamante_user's kept: 1" in imported_10.stdout


def test_same_password_same_secret_for_two_customers(imported_10):
    assert Customer.objects.get(pk=6).api_keys.get().key == Customer.objects.get(pk=1).api_keys.get().key


def test_unactivated_customer_listed_but_inactive_and_no_login_customer_kept(imported_10):
    carol = Customer.objects.get(pk=3)
    assert not carol.is_active and carol.deleted_at is None and carol.api_keys.exists()
    dave = Customer.objects.get(pk=4)
    assert dave.is_active and dave.last_name == "" and not dave.api_keys.exists()


def test_login_without_customer_is_reported(imported_10):
    assert stored_key(sample.portal_secret(sample.GHOST_PASSWORD)) is None
    assert "login with no customer of that e-mail: 1\n    14: ghost@example.com" in imported_10.stdout


def test_branches_keep_ids_keys_assignees_tags_and_times(imported_10):
    general = Branch.objects.get(pk=1)
    assert (general.key, general.name, general.default_assignee_id) == ("GS", "General Support", 1)
    # Union over owners, each name once, in tagging order.
    assert general.tags == ["support", "general"]
    assert Branch.objects.get(pk=2).tags == ["billing", "finance"]
    assert Branch.objects.get(pk=3).tags == ["support", "tech"]
    billing = Branch.objects.get(pk=2)
    assert billing.description is None and billing.updated_at == utc("2015-08-02 16:40:09")
    assert billing.created_at == utc("2015-08-01 09:05:31")
    technical = Branch.objects.get(pk=3)
    assert technical.key == "TI" and technical.default_assignee_id is None and technical.description == ""
    assert "3: 'ti' -> TI" in imported_10.stdout
    assert "tagging of a branch that no longer exists: 1\n    99" in imported_10.stdout
    assert "logo not imported" in imported_10.stdout


def test_tickets_keep_ids_numbers_keys_unique_ids_and_times(imported_10):
    first = Ticket.objects.get(pk=1)
    assert (first.key, first.number, first.branch_id, first.subject) == ("GS-1", 1, 1, "Cannot log in")
    assert first.unique_id == "9382c4f132cba3330205db400598337c"
    assert (first.status, first.priority, first.source) == ("open", "high", "web")
    assert first.reporter_customer_id == 1 and first.reporter_user_id is None and first.assignee_id == 1
    assert first.created_at == utc("2015-08-01 09:12:44") and first.updated_at == utc("2015-08-01 10:02:13")
    assert Ticket.objects.get(pk=4).reporter_user_id == 1 and Ticket.objects.get(pk=4).assignee_id is None
    assert dict(Ticket.objects.values_list("pk", "key")) == {
        1: "GS-1",
        2: "GS-2",
        3: "BILL-1",
        4: "TI-1",
        5: "GS-3",
        6: "TI-2",
        7: "TI-3",
        8: "GS-4",
        9: "BILL-2",
        10: "BILL-6",
        11: "GS-5",
        12: "TI-4",
    }


def test_duplicate_number_the_lower_id_keeps_it_the_other_skips_history_numbers(imported_10):
    # BILL-5 is an old key in history, so the renumbered duplicate takes BILL-6, not BILL-3.
    assert Ticket.objects.get(pk=9).key == "BILL-2" and Ticket.objects.get(pk=10).key == "BILL-6"
    assert "10: BILL-2 -> BILL-6" in imported_10.stdout


def test_odd_values_are_read_like_api_input_or_defaulted_and_reported(imported_10):
    ticket = Ticket.objects.get(pk=12)
    assert (ticket.status, ticket.priority, ticket.source) == ("in_progress", "medium", "phone")
    assert "unknown priority: set to 'medium': 1\n    12: 'urgent'" in imported_10.stdout
    # Its unique_id repeated ticket 1's: ticket 1 keeps it.
    assert ticket.unique_id != Ticket.objects.get(pk=1).unique_id and len(ticket.unique_id) == 32
    assert "duplicate unique_id: the lower id keeps it" in imported_10.stdout


def test_history_live_key_wins_and_dangling_rows_dropped(imported_10):
    assert list(TicketKeyHistory.objects.values_list("key", "ticket_id")) == [("BILL-5", 3)]
    assert "GS-4: live ticket 8 kept, redirect to ticket 7 dropped" in imported_10.stdout
    assert "its ticket no longer exists: 1\n    GS-9 -> ticket 555" in imported_10.stdout


def test_branch_counters_skip_live_and_history_numbers(imported_10):
    assert dict(Branch.objects.values_list("key", "last_ticket_number")) == {"GS": 9, "BILL": 6, "TI": 4}


def test_comments_keep_ids_authors_privacy_and_times(imported_10):
    private = Comment.objects.get(pk=3)
    assert (private.ticket_id, private.author_user_id, private.private) == (1, 1, True)
    first = Comment.objects.get(pk=1)
    assert (
        first.content == "I tried twice. Grüße, 東京." and first.author_customer_id == 1 and not first.private
    )
    assert first.created_at == utc("2015-08-01 11:01:00") and first.updated_at == utc("2015-08-01 12:01:00")


def test_placeholders_for_dangling_people_keep_their_ids(imported_10):
    staff = User.objects.get(pk=42)
    assert (
        staff.is_placeholder
        and not staff.is_active
        and not staff.is_staff
        and not staff.has_usable_password()
    )
    assert Ticket.objects.get(pk=6).reporter_user_id == 42 and Comment.objects.get(pk=7).author_user_id == 42
    for customer_id in (77, 88):
        placeholder = Customer.objects.get(pk=customer_id)
        assert placeholder.is_deleted and not placeholder.is_active
    assert not Customer.objects.live().filter(pk__in=[77, 88]).exists()
    assert "diamante_77\n    diamante_88" in imported_10.stdout


def test_rows_naming_nobody_share_one_unknown_placeholder(imported_10):
    unknown = User.objects.get(username="unknown-reporter")
    assert unknown.is_placeholder and not unknown.is_active and unknown.pk == 43
    assert Ticket.objects.get(pk=11).reporter_user_id == unknown.pk
    assert Comment.objects.get(pk=10).author_user_id == unknown.pk


def test_attachments_keep_ids_hashes_and_holders_files_copied_under_new_names(imported_10, attachments_root):
    image = Attachment.objects.get(pk=1)
    assert (image.ticket_id, image.hash, image.filename) == (1, sample.IMAGE_HASH, "login-error.png")
    assert image.created_at == utc("2015-08-03 09:12:45")
    assert image.file.name.startswith("attachments/") and "login-error" not in image.file.name
    assert image.file.read() == (attachments_root / "ticket" / "login-error.png").read_bytes()
    assert image.content_type == "image/png" and image.size == image.file.size
    # The thumbnail is made again, 100×100 at most.
    from PIL import Image

    with Image.open(image.thumbnail) as thumbnail:
        assert max(thumbnail.size) == 100
    assert Attachment.objects.get(pk=2).comment_id == 6 and Attachment.objects.get(pk=2).thumbnail


def test_missing_file_row_imported_and_reported(imported_10):
    missing = Attachment.objects.get(pk=3)
    assert missing.hash == sample.MISSING_HASH and missing.file.name == "" and missing.size == 0
    assert "Files missing: 1" in imported_10.stdout and "invoice-10023.pdf" in imported_10.stdout


def test_orphan_attachment_skipped(imported_10):
    assert not Attachment.objects.filter(pk=4).exists()
    assert "linked to no ticket or comment (left behind by a deletion): 1\n    4" in imported_10.stdout


def test_overwritten_file_each_row_its_own_copy_duplicate_hash_renewed(imported_10):
    first, second = Attachment.objects.get(pk=5), Attachment.objects.get(pk=6)
    assert first.file.read() == second.file.read() == b"second upload\n"
    assert first.file.name != second.file.name
    assert first.hash == sample.SHARED_HASH and second.hash != sample.SHARED_HASH
    assert "rows sharing one file" in imported_10.stdout
    assert f"6: {sample.SHARED_HASH} -> {second.hash}" in imported_10.stdout


def test_no_watchers_in_10(imported_10):
    assert not Watcher.objects.exists()
