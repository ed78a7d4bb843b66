"""The imported installation seen through the API, as the original served it to the same clients."""

import base64

import pytest
from django.test import Client
from rest_framework.test import APIClient

from desk.users.models import User
from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, SignedClient
from tests.importer import sample

PORTAL_SECRET = sample.portal_secret(sample.ALICE_PASSWORD)


@pytest.fixture
def admin_api(imported_10):
    """Signed as the original's admin with the key from its oro_user_api row."""
    return SignedClient("admin", sample.ADMIN_KEY)


@pytest.fixture
def alice_api(imported_10):
    """Signed as a customer with the secret her portal stored."""
    return SignedClient("alice@example.com", PORTAL_SECRET, prefix=CUSTOMER_PREFIX)


def test_staff_request_with_the_imported_key(admin_api):
    response = admin_api.get("tickets/1")
    assert response.status_code == 200
    ticket = response.json()
    assert ticket["key"] == "GS-1" and ticket["branch"] == 1 and ticket["assignee"] == 1
    assert ticket["reporter"] == "diamante_1"
    assert ticket["unique_id"] == {"id": "9382c4f132cba3330205db400598337c"}
    assert (
        ticket["created_at"] == "2015-08-01T09:12:44+0000"
        and ticket["updated_at"] == "2015-08-01T10:02:13+0000"
    )
    assert [comment["id"] for comment in ticket["comments"]] == [1, 2, 3]


def test_staff_sign_in_by_email_too(imported_10):
    assert SignedClient("jane@example.com", sample.JANE_KEY).get("branches").status_code == 200


def test_disabled_staff_key_is_refused(imported_10):
    assert SignedClient("leaver", sample.DISABLED_KEY).get("branches").status_code == 401


def test_ticket_by_its_old_key_answers_301_with_x_location(admin_api):
    response = admin_api.get("tickets/BILL-5")
    assert response.status_code == 301
    assert response["X-Location"] == f"http://testserver{STAFF_PREFIX}/tickets/BILL-1"
    assert "Location" not in response


def test_a_key_both_live_and_old_is_the_live_ticket(admin_api):
    response = admin_api.get("tickets/GS-4")
    assert response.status_code == 200 and response.json()["id"] == 8


def test_customer_request_signed_with_the_imported_secret(alice_api):
    response = alice_api.get("tickets")
    assert response.status_code == 200
    assert sorted(ticket["id"] for ticket in response.json()) == [1, 7, 10]


def test_private_comment_hidden_from_its_customer(alice_api):
    ticket = alice_api.get("tickets/1").json()
    assert [comment["id"] for comment in ticket["comments"]] == [1, 2]
    assert alice_api.get("comments/3").status_code == 404
    assert alice_api.get("comments/2").status_code == 200


def test_two_customers_sharing_a_secret_each_sign_as_themselves(imported_10):
    frank = SignedClient("frank@example.com", PORTAL_SECRET, prefix=CUSTOMER_PREFIX)
    assert [ticket["id"] for ticket in frank.get("tickets").json()] == [12]


def test_customer_not_activated_cannot_sign_in(imported_10):
    carol = SignedClient("carol@example.net", sample.portal_secret("carol-pass-7"), prefix=CUSTOMER_PREFIX)
    assert carol.get("tickets").status_code == 401


def test_download_by_the_old_hash(imported_10, attachments_root):
    client = APIClient()
    response = client.get(f"/desk/attachments/download/file/{sample.IMAGE_HASH}")
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content) == (attachments_root / "ticket" / "login-error.png").read_bytes()
    )
    assert 'filename="login-error.png"' in response["Content-Disposition"]
    thumbnail = client.get(f"/desk/attachments/download/thumbnail/{sample.IMAGE_HASH}")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/png"


def test_download_of_a_row_without_its_file_is_404(imported_10):
    response = APIClient().get(f"/desk/attachments/download/file/{sample.MISSING_HASH}")
    assert response.status_code == 404


def test_attachment_representation_links_the_old_hash(admin_api):
    attachments = admin_api.get("tickets/1/attachments").json()
    assert [item["id"] for item in attachments] == [1]
    url = attachments[0]["file"]["url"]
    assert url == f"http://testserver/desk/attachments/download/file/{sample.IMAGE_HASH}"


def test_people_resolve_placeholders_included(admin_api):
    assert admin_api.get("ticket/6/reporter").json()["id"] == "oro_42"
    assert admin_api.get("ticket/5/reporter").json()["id"] == "diamante_77"
    assert admin_api.get("comment/7/author").json()["id"] == "oro_42"


def test_placeholders_appear_in_no_list(admin_api):
    customers = admin_api.get("users?limit=100").json()
    assert sorted(customer["id"] for customer in customers) == [1, 2, 3, 4, 6]
    staff = SignedClient("admin", sample.ADMIN_KEY, prefix="/api/rest/latest").get("users.json?limit=100")
    assert sorted(user["id"] for user in staff.json()) == [1, 2, 5]


def test_new_rows_after_the_import_do_not_collide(admin_api):
    """Sequences and branch counters are past every imported value (PostgreSQL and SQLite alike)."""
    created = admin_api.post(
        "tickets",
        {
            "branch": 2,
            "subject": "After the move",
            "description": "x",
            "status": "new",
            "priority": "low",
            "source": "web",
            "reporter": "diamante_1",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    ticket = created.json()
    assert ticket["id"] == 13 and ticket["key"] == "BILL-7" and ticket["assignee"] == 2
    in_general = admin_api.post(
        "tickets",
        {
            "branch": 1,
            "subject": "GS",
            "description": "x",
            "status": "new",
            "priority": "low",
            "source": "web",
            "reporter": "oro_1",
        },
        format="json",
    ).json()
    # GS-9 is a (dangling) old key, so GS goes on from 10.
    assert in_general["key"] == "GS-10"
    comment = admin_api.post("comments", {"ticket": 13, "content": "hello", "author": "oro_1"}, format="json")
    assert comment.status_code == 201 and comment.json()["id"] == 11
    customer = admin_api.post(
        "users", {"email": "new@example.com", "firstName": "N", "lastName": "Ew"}, format="json"
    )
    assert customer.status_code == 201 and customer.json()["id"] == 89
    branch = admin_api.post("branches", {"name": "New Branch", "key": "NEW"}, format="json")
    assert branch.status_code == 201 and branch.json()["id"] == 4
    upload = admin_api.post(
        "tickets/13/attachments",
        {"attachmentsInput": [{"filename": "a.txt", "content": base64.b64encode(b"a").decode()}]},
        format="json",
    )
    assert upload.status_code == 201 and upload.json()[0]["id"] == 7


def test_staff_log_in_to_the_admin_with_their_old_password(imported_10, client, settings):
    # Django's default first, as the project lists them (a fast one here), then Oro's.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "desk.users.hashers.OroSHA512PasswordHasher",
    ]
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": sample.ADMIN_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert User.objects.get(username="admin").password.startswith("md5$")
    refused = Client().post("/admin/login/", {"username": "leaver", "password": "gone-now"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
