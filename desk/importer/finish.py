"""The last steps: placeholders for people the data names but nobody holds, branch counters, sequences."""

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Max

from desk.attachments.models import Attachment
from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.importer.people import UNKNOWN_PERSON
from desk.importer.staff import USER_COLUMNS
from desk.importer.writer import BulkWriter, reset_sequences
from desk.tickets.models import Ticket, TicketKeyHistory, Watcher
from desk.users.models import Customer, User
from wsse_auth.models import ApiKey

UNKNOWN_USERNAME = "unknown-reporter"


def _dangling(model, column, target):
    """Distinct ids in `model.column` that `target` has no row for."""
    return set(
        model.objects.exclude(**{f"{column}__isnull": True})
        .exclude(**{f"{column}__in": target.objects.values("pk")})
        .exclude(**{column: UNKNOWN_PERSON})
        .values_list(column, flat=True)
        .distinct()
    )


def _free_username(base):
    username, suffix = base, 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    return username


def _placeholder_users(ctx, ids_and_names):
    """Staff stand-ins: not staff, inactive, no usable password, never listed."""
    users = BulkWriter(User, USER_COLUMNS)
    for user_id, username in ids_and_names:
        users.add(
            user_id,
            make_password(None),
            None,
            False,
            _free_username(username),
            "",
            "",
            "",
            False,
            False,
            ctx.now,
            True,
            ctx.now,
        )
    users.flush()


def create_placeholders(ctx):
    """Give each `oro_N`/`diamante_N` that names nobody a stand-in with that id, so the reference resolves."""
    report = ctx.report
    staff = _dangling(Ticket, "reporter_user_id", User) | _dangling(Comment, "author_user_id", User)
    customers = _dangling(Ticket, "reporter_customer_id", Customer) | _dangling(
        Comment, "author_customer_id", Customer
    )
    _placeholder_users(ctx, [(user_id, f"deleted-user-{user_id}") for user_id in sorted(staff)])
    for user_id in sorted(staff):
        report.placeholder(
            "staff users", "staff user named by tickets or comments, missing from oro_user", f"oro_{user_id}"
        )
    writer = BulkWriter(
        Customer,
        ["id", "email", "first_name", "last_name", "is_active", "deleted_at", "created_at", "updated_at"],
    )
    for customer_id in sorted(customers):
        writer.add(customer_id, "", "", "", False, ctx.now, ctx.now, ctx.now)
        report.placeholder(
            "customers",
            "customer named by tickets or comments, missing from diamante_user (soft-deleted placeholder)",
            f"diamante_{customer_id}",
        )
    writer.flush()
    _unknown_person(ctx)


def _unknown_person(ctx):
    """One staff stand-in, with a new id, for rows whose reporter or author names nobody at all."""
    tickets = Ticket.objects.filter(reporter_user_id=UNKNOWN_PERSON)
    comments = Comment.objects.filter(author_user_id=UNKNOWN_PERSON)
    if not (tickets.exists() or comments.exists()):
        return
    unknown_id = (User.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1
    _placeholder_users(ctx, [(unknown_id, UNKNOWN_USERNAME)])
    tickets.update(reporter_user_id=unknown_id)
    comments.update(author_user_id=unknown_id)
    ctx.report.placeholder(
        "staff users", "stands in for every reporter or author the data does not name", f"oro_{unknown_id}"
    )


def set_branch_counters(ctx):
    """Each branch's last number: past its live numbers, its history keys and the 2.x counter."""
    highest = dict(
        Ticket.objects.values_list("branch").annotate(top=Max("number")).values_list("branch", "top")
    )
    for branch_id, key in ctx.branch_keys.items():
        last = max(
            highest.get(branch_id) or 0,
            ctx.history_numbers.get(key, 0),
            ctx.branch_counter_floor.get(branch_id, 0),
        )
        Branch.objects.filter(pk=branch_id).update(last_ticket_number=last)


IMPORTED_MODELS = [User, Customer, Branch, Ticket, TicketKeyHistory, Comment, Attachment, Watcher, ApiKey]


def finish(ctx, *, dry_run):
    """Placeholders, counters, then sequences and every deferred foreign key checked before the commit."""
    create_placeholders(ctx)
    set_branch_counters(ctx)
    # setval is not undone by a rollback; a dry run leaves the sequences alone.
    if not dry_run:
        reset_sequences(IMPORTED_MODELS)
    connection.check_constraints()
