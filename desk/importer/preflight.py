"""Checks made before anything is written: an empty target, no clashing ids or names, values that fit."""

from django.db.models.functions import Lower

from desk.branches.models import Branch
from desk.tickets.models import Ticket
from desk.users.models import Customer, User

CHUNK = 500
# Source columns longer than the target's (only e-mails: every other column is as wide as the original's).
LENGTH_LIMITS = [
    ("oro_user", "email", User._meta.get_field("email").max_length),
    ("diamante_user", "email", Customer._meta.get_field("email").max_length),
]


class Refused(Exception):
    """The import cannot start; nothing has been written."""


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _found(source, sql, values):
    """Rows of `sql` (which has one `IN %s`) for the given values, asked a chunk at a time."""
    found = []
    for chunk in _chunks(values):
        found += list(source.rows(sql, [chunk]))
    return found


def _clashes(source):
    """Target rows an import would collide with: same id, username, e-mail or branch key."""
    problems = []
    users = list(User.objects.values_list("pk", "username", Lower("email")))
    for user_id, username in _found(
        source, "SELECT id, username FROM oro_user WHERE id IN %s", [pk for pk, _, _ in users]
    ):
        problems.append(
            f"staff user id {user_id} ({username}) is already taken by a user of this installation"
        )
    for (username,) in _found(
        source, "SELECT username FROM oro_user WHERE username IN %s", [u for _, u, _ in users]
    ):
        problems.append(f"staff username {username!r} is already taken by a user of this installation")
    emails = [email for _, _, email in users if email]
    for (email,) in _found(source, "SELECT email FROM oro_user WHERE email IN %s", emails):
        problems.append(f"staff e-mail {email!r} is already taken by a user of this installation")
    customers = list(Customer.objects.values_list("pk", Lower("email")))
    for (customer_id,) in _found(
        source, "SELECT id FROM diamante_user WHERE id IN %s", [pk for pk, _ in customers]
    ):
        problems.append(f"customer id {customer_id} is already taken by a customer of this installation")
    live = Customer.objects.live().annotate(lowered=Lower("email")).values_list("lowered", flat=True)
    for (email,) in _found(source, "SELECT email FROM diamante_user WHERE email IN %s", list(live)):
        problems.append(f"customer e-mail {email!r} is already taken by a customer of this installation")
    branches = list(Branch.objects.values_list("pk", "key"))
    for (branch_id,) in _found(
        source, "SELECT id FROM diamante_branch WHERE id IN %s", [pk for pk, _ in branches]
    ):
        problems.append(f"branch id {branch_id} is already taken by a branch of this installation")
    for (key,) in _found(
        source, "SELECT branch_key FROM diamante_branch WHERE branch_key IN %s", [key for _, key in branches]
    ):
        problems.append(f"branch key {key!r} is already taken by a branch of this installation")
    return problems


def _taken_references(source, layout):
    """Rows naming `oro_N`/`diamante_N` whose N the original lacks but a row of this installation holds."""
    problems = []
    staff = [f"oro_{pk}" for pk in User.objects.values_list("pk", flat=True)]
    customers = [f"diamante_{pk}" for pk in Customer.objects.values_list("pk", flat=True)]
    columns = [("diamante_ticket", "reporter_id"), ("diamante_comment", "author_id")]
    if layout.has_table("diamante_watcher_list"):
        columns.append(("diamante_watcher_list", "user_type"))
    for table, column in columns:
        for (reference,) in _found(
            source, f"SELECT DISTINCT {column} FROM {table} WHERE {column} IN %s", staff + customers
        ):
            problems.append(
                f"{table}.{column} names {reference}: a person of this installation has that id "
                "and would be named instead"
            )
    return problems


def check(source, superusers):
    """Raise Refused, listing every problem, unless the import can run."""
    missing = source.layout.missing_tables()
    if missing:
        raise Refused(f"The source is no DiamanteDesk database: tables missing: {', '.join(missing)}.")
    if Ticket.objects.exists():
        raise Refused(
            "This installation already holds tickets; import into an empty one (staff users may exist)."
        )
    problems = _clashes(source) + _taken_references(source, source.layout)
    for table, column, limit in LENGTH_LIMITS:
        for row_id, value in source.rows(
            f"SELECT id, {column} FROM {table} WHERE CHAR_LENGTH({column}) > %s ORDER BY id", [limit]
        ):
            problems.append(f"{table} {row_id}: {column} is longer than {limit} characters: {value!r}")
    for username in sorted(superusers):
        enabled = source.scalar("SELECT enabled FROM oro_user WHERE username = %s", [username])
        if enabled is None:
            problems.append(f"--superuser {username}: no staff user of that username in the source")
        elif not enabled:
            problems.append(f"--superuser {username}: that staff user is disabled in the source")
    if problems:
        raise Refused("Nothing was imported:\n  " + "\n  ".join(problems))
