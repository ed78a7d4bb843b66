"""Staff: `oro_user` rows with their Oro password hashes, one helpdesk group, and `oro_user_api` keys."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from desk.importer.source import utc
from desk.importer.writer import BulkWriter
from desk.users.hashers import oro_encoded
from desk.users.models import User
from wsse_auth.models import ApiKey

STAFF_GROUP = "Helpdesk staff"
# Every model of the helpdesk itself; staff users and API keys stay with superusers, or a staff member
# could make themselves one.
HELPDESK_APPS = ("branches", "tickets", "comments", "attachments")
KEY_LABEL = "imported from DiamanteDesk"

USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "is_placeholder",
    "updated_at",
]


def staff_group():
    """The group every enabled staff user joins: every helpdesk model permission, and viewing staff users."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.filter(
        Q(content_type__app_label__in=HELPDESK_APPS)
        | Q(content_type__app_label="users", content_type__model="customer")
        | Q(content_type__app_label="users", content_type__model="user", codename="view_user")
    )
    group.permissions.add(*permissions)
    return group


def import_staff(ctx):
    """Copy staff users with their ids; enabled ones become staff members of the helpdesk group."""
    report = ctx.report
    group = staff_group()
    users = BulkWriter(User, USER_COLUMNS)
    memberships = BulkWriter(User.groups.through, ["user_id", "group_id"])
    progress = ctx.progress("staff users", "oro_user")
    rows = ctx.source.rows(
        "SELECT id, username, email, first_name, last_name, enabled, salt, password, last_login, "
        "createdAt, updatedAt FROM oro_user ORDER BY id"
    )
    for user_id, username, email, first, last, enabled, salt, password, last_login, created, updated in rows:
        enabled = bool(enabled)
        if password:
            stored = oro_encoded(salt or "", password)
        else:
            stored = make_password(None)
            report.note("staff users", "no password in the original: cannot log in to the admin", username)
        superuser = enabled and username in ctx.superusers
        if not enabled:
            report.note("staff users", "disabled in the original: cannot log in or sign", username)
        joined = utc(created) or ctx.now
        users.add(
            user_id,
            stored,
            utc(last_login),
            superuser,
            username,
            first or "",
            last or "",
            email or "",
            enabled,
            enabled,
            joined,
            False,
            utc(updated) or joined,
        )
        if enabled:
            memberships.add(user_id, group.pk)
        ctx.staff_ids.add(user_id)
        report.count("staff users")
        progress.advance()
    users.flush()
    memberships.flush()
    progress.finish()
    import_staff_keys(ctx)


def import_staff_keys(ctx):
    """Each `oro_user_api.api_key` verbatim: shops keep signing with their configured user and key."""
    keys = BulkWriter(ApiKey, ["key", "user_id", "customer_id", "label", "created_at"])
    progress = ctx.progress("staff API keys", "oro_user_api")
    for key_id, user_id, api_key in ctx.source.rows(
        "SELECT id, user_id, api_key FROM oro_user_api ORDER BY id"
    ):
        progress.advance()
        if user_id not in ctx.staff_ids:
            ctx.report.skip("staff API keys", "its staff user is not in oro_user", key_id)
            continue
        if not api_key:
            ctx.report.skip("staff API keys", "empty key", key_id)
            continue
        keys.add(api_key, user_id, None, KEY_LABEL, ctx.now)
        ctx.report.count("staff API keys")
    keys.flush()
    progress.finish()
