"""The sample installation the importer tests read: every case of the importer checklist, once or twice."""

import base64
import hashlib
import io
from pathlib import Path

from PIL import Image

from desk.users.hashers import oro_sha512_digest

BRANCH_ENTITY = "Diamante\\DeskBundle\\Entity\\Branch"
TICKET_ENTITY = "Diamante\\DeskBundle\\Entity\\Ticket"
OLD_ROOT = "/srv/diamantedesk/app/attachments"

ADMIN_PASSWORD = "admin123"
ADMIN_SALT = "k3v9q2x7m1p8r4t6w0y5z2a9c3e7g1h"
ADMIN_KEY = "5a1f0c3e9b7d2468ace013579bdf2468ace01357"
JANE_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
DISABLED_KEY = "9999999999aaaaaaaaaabbbbbbbbbbcccccccccc"
ALICE_PASSWORD = "secret123"
GHOST_PASSWORD = "boo-2015"

IMAGE_HASH = "b1946ac92492d2347c6235b4d2611184"
COMMENT_IMAGE_HASH = "591785b794601e212b260e25925636fd"
MISSING_HASH = "e59ff97941044f85df5297e1c302d260"
SHARED_HASH = "7d793037a0760186574b0282f2f435e7"


def portal_secret(password):
    """What the original's portal sends and stores for a customer: sha512 stretched 5000 times, unsalted."""
    raw = password.encode()
    digest = hashlib.sha512(raw).digest()
    for _ in range(4999):
        digest = hashlib.sha512(digest + raw).digest()
    return base64.b64encode(digest).decode()


def png_bytes(size=(300, 200), color=(200, 30, 30)):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="PNG")
    return output.getvalue()


def write_files(root):
    """The original's app/attachments folder: ticket/ and comment/, one file overwritten, one missing."""
    root = Path(root)
    (root / "ticket").mkdir(parents=True, exist_ok=True)
    (root / "comment").mkdir(parents=True, exist_ok=True)
    (root / "ticket" / "login-error.png").write_bytes(png_bytes())
    (root / "comment" / "screenshot.png").write_bytes(png_bytes((50, 80), (10, 120, 10)))
    # Two uploads of log.txt: the second overwrote the first, both rows name the same path.
    (root / "comment" / "log.txt").write_bytes(b"second upload\n")
    # A file whose row was deleted stays on disk; nothing names it.
    (root / "ticket" / "left-behind.txt").write_bytes(b"no row\n")
    return root


def _staff():
    stamp = "2015-07-30 11:58:03"
    base = {
        "organization_id": 1,
        "login_count": 0,
        "createdAt": stamp,
        "updatedAt": stamp,
        "last_login": None,
    }
    return [
        {
            **base,
            "id": 1,
            "username": "admin",
            "email": "admin@example.com",
            "first_name": "John",
            "last_name": "Doe",
            "enabled": 1,
            "salt": ADMIN_SALT,
            "password": oro_sha512_digest(ADMIN_PASSWORD, ADMIN_SALT),
            "last_login": "2015-08-11 10:58:12",
        },
        {
            **base,
            "id": 2,
            "username": "jsmith",
            "email": "jane@example.com",
            "first_name": "Jane",
            "last_name": "Smith",
            "enabled": 1,
            "salt": "1zuosfwavzywce3igwfmtrx9z9wn670",
            "password": oro_sha512_digest("jane-pass-2", "1zuosfwavzywce3igwfmtrx9z9wn670"),
            "createdAt": "2015-07-31 08:15:00",
        },
        {
            **base,
            "id": 5,
            "username": "leaver",
            "email": "leaver@example.com",
            "first_name": "Lee",
            "last_name": "Ver",
            "enabled": 0,
            "salt": "abc",
            "password": oro_sha512_digest("gone-now", "abc"),
        },
    ]


def _customers(v2):
    rows = [
        (1, "alice@example.com", "Alice", "Walker"),
        (2, "bob@example.org", "Bob", "Martin"),
        (3, "carol@example.net", "Carol", "Nguyen"),
        (4, "dave@example.com", "Dave", None),
        (6, "frank@example.com", "Frank", "Same-Password"),
    ]
    if v2:
        rows.append((7, "erin@example.com", "Erin", "Deleted"))
    customers = [{"id": i, "email": e, "first_name": f, "last_name": last} for i, e, f, last in rows]
    # Logins: ids deliberately not the customers' ids; bob's login spells his e-mail in another case.
    logins = [
        {"id": 10, "email": "bob@EXAMPLE.org", "password": portal_secret("Bob-2015!"), "is_active": 1},
        {"id": 11, "email": "alice@example.com", "password": portal_secret(ALICE_PASSWORD), "is_active": 1},
        {"id": 12, "email": "carol@example.net", "password": portal_secret("carol-pass-7"), "is_active": 0},
        {"id": 13, "email": "frank@example.com", "password": portal_secret(ALICE_PASSWORD), "is_active": 1},
        {"id": 14, "email": "ghost@example.com", "password": portal_secret(GHOST_PASSWORD), "is_active": 1},
    ]
    if v2:
        logins.append(
            {"id": 15, "email": "erin@example.com", "password": portal_secret("erin"), "is_active": 0}
        )
    for login in logins:
        login.update(salt=None, hash="", hash_expiration_time=0)
    if v2:
        by_email = {customer["email"].lower(): customer for customer in customers}
        for customer in customers:
            customer.update(
                is_deleted=int(customer["id"] == 7),
                created_at="2016-09-01 10:00:00",
                updated_at="2016-09-20 12:00:00" if customer["id"] == 7 else "2016-09-01 10:00:00",
                api_user=None,
            )
        for login in logins:
            owner = by_email.get(login["email"].lower())
            login["diamante_user"] = owner["id"] if owner else None
            if owner:
                owner["api_user"] = login["id"]
        # frank's 2.x link columns point at alice's login: the import pairs by e-mail and reports it.
        by_email["frank@example.com"]["api_user"] = None
    return customers, logins


def _branches(v2):
    rows = [
        {
            "id": 1,
            "default_assignee_id": 1,
            "name": "General Support",
            "description": "Accounts and the portal.",
            "branch_key": "GS",
            "logo": "",
            "createdAt": "2015-08-01 09:00:00",
            "updatedAt": "2015-08-01 09:00:00",
        },
        {
            "id": 2,
            "default_assignee_id": 2,
            "name": "Billing",
            "description": None,
            "branch_key": "BILL",
            "logo": "648176f0436523dd84eff54218e522c291e5b4ea.png|billing-logo.png",
            "createdAt": "2015-08-01 09:05:31",
            "updatedAt": "2015-08-02 16:40:09",
        },
        {
            "id": 3,
            "default_assignee_id": None,
            "name": "Technical Issues",
            "description": "",
            "branch_key": "ti",
            "logo": "",
            "createdAt": "2015-08-01 09:07:12",
            "updatedAt": "2015-08-01 09:07:12",
        },
    ]
    if v2:
        # 2.x counters: Billing already handed out up to 20 (tickets since deleted).
        for row, number in zip(rows, (6, 21, 5), strict=True):
            row["number"] = number
    return rows


def _ticket(ticket_id, branch_id, number, reporter, **fields):
    values = {
        "id": ticket_id,
        "assignee_id": 1,
        "branch_id": branch_id,
        "number": number,
        "unique_id": hashlib.md5(f"ticket-{ticket_id}".encode()).hexdigest(),
        "subject": f"Ticket {ticket_id}",
        "description": f"<p>Body of ticket {ticket_id}</p>",
        "status": "open",
        "priority": "medium",
        "reporter_id": reporter,
        "created_at": f"2015-08-{ticket_id:02d} 09:12:44",
        "updated_at": f"2015-08-{ticket_id:02d} 10:02:13",
        "source": "web",
    }
    values.update(fields)
    return values


def _tickets(v2):
    rows = [
        _ticket(1, 1, 1, "diamante_1", subject="Cannot log in", priority="high", status="open"),
        _ticket(2, 1, 2, "diamante_2", status="closed", source="email"),
        _ticket(3, 2, 1, "diamante_3", status="in_progress", source="phone", assignee_id=2),
        _ticket(4, 3, 1, "oro_1", status="on_hold", assignee_id=None),
        _ticket(5, 1, 3, "diamante_77", status="new", priority="low"),
        _ticket(6, 3, 2, "oro_42", status="pending"),
        # Created as GS-4, moved to Technical Issues: now TI-3, history GS-4.
        _ticket(7, 3, 3, "diamante_1", subject="Export times out"),
        # 1.0 handed GS-4 out again after the move: a live GS-4 and a history GS-4.
        _ticket(8, 1, 4, "diamante_3", subject="Wrong time zone"),
        _ticket(9, 2, 2, "oro_2", subject="Refund"),
        # Created at the same moment as 9 in the same branch: the same number twice.
        _ticket(10, 2, 2, "diamante_1", subject="Refund, again"),
        _ticket(11, 1, 5, "", subject="Nobody reported this"),
        _ticket(
            12,
            3,
            4,
            "diamante_6",
            status="In progress",
            priority="urgent",
            source="Phone",
            unique_id=hashlib.md5(b"ticket-1").hexdigest(),
        ),
    ]
    if v2:
        emails = {
            "diamante_1": "alice@example.com",
            "diamante_3": "carol@example.net",
            "oro_1": "admin@example.com",
        }
        for row in rows:
            row.update(
                reporter_email=emails.get(row["reporter_id"], ""),
                status_updated_since=None,
                assigned_since=None,
            )
        rows[3]["updated_at"] = None
    return rows


def _comments():
    def comment(comment_id, ticket_id, author, private=0, content=None):
        return {
            "id": comment_id,
            "ticket_id": ticket_id,
            "author_id": author,
            "private": private,
            "content": content or f"Comment {comment_id}",
            "created_at": f"2015-08-{ticket_id:02d} 11:{comment_id:02d}:00",
            "updated_at": f"2015-08-{ticket_id:02d} 12:{comment_id:02d}:00",
        }

    return [
        comment(1, 1, "diamante_1", content="I tried twice. Grüße, 東京."),
        comment(2, 1, "oro_1", content="Unlocked your account."),
        comment(3, 1, "oro_1", private=1, content="Locked by brute-force protection."),
        comment(4, 2, "diamante_2"),
        comment(5, 2, "oro_2", private=1),
        comment(6, 3, "diamante_88"),
        comment(7, 6, "oro_42"),
        comment(8, 7, "diamante_1"),
        comment(9, 8, "oro_2"),
        comment(10, 9, "  "),
    ]


def _attachments():
    def row(attachment_id, name, holder, hash_value):
        return {
            "id": attachment_id,
            "file": f"{OLD_ROOT}/{holder}/{name}",
            "hash": hash_value,
            "created_at": "2015-08-03 09:12:45",
            "updated_at": "2015-08-03 09:12:45",
        }

    return [
        row(1, "login-error.png", "ticket", IMAGE_HASH),
        row(2, "screenshot.png", "comment", COMMENT_IMAGE_HASH),
        row(3, "invoice-10023.pdf", "ticket", MISSING_HASH),
        row(4, "left-over.txt", "ticket", "0cc175b9c0f1b6a831c399e269772661"),
        row(5, "log.txt", "comment", SHARED_HASH),
        row(6, "log.txt", "comment", SHARED_HASH),
    ]


def load(database, v2=False):
    """Fill a ScratchDatabase with the sample installation."""
    database.insert("oro_user", _staff())
    database.insert(
        "oro_user_api",
        [
            {"id": 1, "organization_id": 1, "user_id": 1, "api_key": ADMIN_KEY},
            {"id": 2, "organization_id": 1, "user_id": 2, "api_key": JANE_KEY},
            {"id": 3, "organization_id": 1, "user_id": 5, "api_key": DISABLED_KEY},
        ],
    )
    customers, logins = _customers(v2)
    database.insert("diamante_api_user", [{k: v for k, v in login.items()} for login in logins])
    database.insert("diamante_user", customers)
    database.insert("diamante_branch", _branches(v2))
    database.insert(
        "oro_tag_tag",
        [
            {
                "id": tag_id,
                "user_owner_id": 1,
                "name": name,
                "created": "2015-08-01 09:00:00",
                "updated": "2015-08-01 09:00:00",
            }
            for tag_id, name in ((1, "support"), (2, "general"), (3, "billing"), (4, "finance"), (5, "tech"))
        ],
    )
    taggings = [(1, 1, 1), (2, 2, 1), (1, 1, 3), (3, 1, 2), (4, 2, 2), (5, 1, 3), (1, 2, 1), (2, 1, 99)]
    rows = [
        {
            "tag_id": tag,
            "user_owner_id": owner,
            "created": "2015-08-01 09:00:00",
            "alias": "diamante_branch",
            "entity_name": BRANCH_ENTITY,
            "record_id": record,
        }
        for tag, owner, record in taggings
    ]
    if v2:
        rows.append(
            {
                "tag_id": 5,
                "user_owner_id": 1,
                "created": "2016-09-01 09:00:00",
                "alias": "diamante_ticket",
                "entity_name": TICKET_ENTITY,
                "record_id": 6,
            }
        )
    database.insert("oro_tag_tagging", rows)
    database.insert("diamante_ticket", _tickets(v2))
    history = [
        {"id": 1, "ticket_id": 7, "ticket_key": "GS-4"},
        {"id": 2, "ticket_id": 3, "ticket_key": "BILL-5"},
    ]
    if not v2:
        # 1.0 keeps history rows of deleted tickets.
        history.append({"id": 3, "ticket_id": 555, "ticket_key": "GS-9"})
    database.insert("diamante_ticket_history", history)
    database.insert("diamante_comment", _comments())
    database.insert("diamante_attachment", _attachments())
    database.insert(
        "diamante_ticket_attachments",
        [
            {"ticket_id": 1, "attachment_id": 1},
            {"ticket_id": 3, "attachment_id": 3},
        ],
    )
    database.insert(
        "diamante_comment_attachments",
        [
            {"comment_id": 6, "attachment_id": 2},
            {"comment_id": 4, "attachment_id": 5},
            {"comment_id": 9, "attachment_id": 6},
        ],
    )
    if v2:
        database.insert(
            "diamante_watcher_list",
            [
                {"id": 1, "ticket_id": 1, "user_type": "diamante_1"},
                {"id": 2, "ticket_id": 1, "user_type": "oro_1"},
                {"id": 3, "ticket_id": 1, "user_type": "oro_1"},
                {"id": 4, "ticket_id": 3, "user_type": "diamante_3"},
                {"id": 5, "ticket_id": 6, "user_type": "diamante_77"},
                {"id": 6, "ticket_id": 7, "user_type": "oro_2"},
                {"id": 7, "ticket_id": 2, "user_type": "diamante_7"},
            ],
        )
