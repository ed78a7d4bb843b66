"""Customers: `diamante_user` rows, each paired by e-mail with its `diamante_api_user` login and secret."""

from desk.importer.source import utc
from desk.importer.staff import KEY_LABEL
from desk.importer.writer import BulkWriter
from desk.users.models import Customer
from wsse_auth.models import ApiKey

CUSTOMER_COLUMNS = [
    "id",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "deleted_at",
    "created_at",
    "updated_at",
]


def _select(layout):
    """Customers joined to their logins; `=` under the original's case-insensitive collation pairs them."""
    extra = []
    for column in ("is_deleted", "created_at", "updated_at", "api_user"):
        extra.append(f"u.{column}" if layout.has("diamante_user", column) else "NULL")
    extra.append("a.diamante_user" if layout.has("diamante_api_user", "diamante_user") else "NULL")
    return (
        "SELECT u.id, u.email, u.first_name, u.last_name, a.id, a.email, a.password, a.is_active, "
        f"{', '.join(extra)} FROM diamante_user u "
        "LEFT JOIN diamante_api_user a ON a.email = u.email ORDER BY u.id"
    )


def import_customers(ctx):
    """Copy customers with their ids and their WSSE secrets exactly as stored (never hashed again)."""
    report, table = ctx.report, "customers"
    customers = BulkWriter(Customer, CUSTOMER_COLUMNS)
    keys = BulkWriter(ApiKey, ["key", "user_id", "customer_id", "label", "created_at", "revoked_at"])
    progress = ctx.progress(table, "diamante_user")
    for row in ctx.source.rows(_select(ctx.layout)):
        (
            customer_id,
            email,
            first,
            last,
            login_id,
            login_email,
            secret,
            login_active,
            deleted,
            created,
            updated,
            linked_login,
            linked_customer,
        ) = row
        progress.advance()
        if login_id is not None and login_email != email:
            report.change(
                table,
                "e-mail case differs from its login's: diamante_user's kept",
                f"{customer_id}: {email} (login {login_email})",
            )
        if (
            ctx.layout.has("diamante_user", "api_user")
            and login_id is not None
            and (linked_login != login_id or linked_customer != customer_id)
        ):
            report.note(
                table,
                "2.x link columns disagree with the pairing by e-mail (e-mail used, as the original)",
                f"{customer_id}: api_user={linked_login}, diamante_user={linked_customer}, "
                f"by e-mail {login_id}",
            )
        active = True if login_id is None else bool(login_active)
        if login_id is None:
            report.note(table, "no login account: listed, cannot sign in", customer_id)
        elif not active:
            report.note(table, "login not activated (or deactivated): listed, cannot sign in", email)
        created_at = utc(created) or ctx.now
        updated_at = utc(updated) or created_at
        deleted_at = updated_at if deleted else None
        if deleted:
            report.note(table, "deleted in the original: soft-deleted, its key revoked", email)
        customers.add(customer_id, email, first or "", last or "", active, deleted_at, created_at, updated_at)
        report.count(table)
        if login_id is not None and secret:
            # A deleted customer's key is revoked, as a deletion here does.
            keys.add(secret, None, customer_id, KEY_LABEL, ctx.now, deleted_at)
            report.count("customer API keys")
        elif login_id is not None:
            report.skip("customer API keys", "empty secret: cannot sign in", email)
    customers.flush()
    keys.flush()
    progress.finish()
    _report_orphan_logins(ctx)


def _report_orphan_logins(ctx):
    """Logins with no customer of that e-mail: the original could not use them either."""
    orphans = ctx.source.rows(
        "SELECT a.id, a.email FROM diamante_api_user a LEFT JOIN diamante_user u ON u.email = a.email "
        "WHERE u.id IS NULL ORDER BY a.id"
    )
    for login_id, email in orphans:
        ctx.report.skip("customer API keys", "login with no customer of that e-mail", f"{login_id}: {email}")
