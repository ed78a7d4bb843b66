"""The comment API end to end: create, read, update, delete, the author route, formats and routes."""

import pytest

from desk.api.keys import snake_case
from desk.attachments.models import Attachment
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.comments.factories import age, make_attachment, make_comment, make_ticket
from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, client_for
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

COMMENT_NOT_FOUND = {"error": "Comment loading failed, comment not found."}
TICKET_NOT_FOUND = {"error": "Ticket loading failed, ticket not found."}
USER_NOT_FOUND = {"error": "User loading failed. User not found"}


@pytest.fixture
def ticket(admin_user):
    return age(make_ticket(admin_user))


def body(ticket, author, **fields):
    """A create body naming a ticket and an author."""
    return {"content": "Test Comment", "ticket": ticket.pk, "author": author.person_id, **fields}


class TestCreate:
    def test_create_returns_201_with_entity_and_location(self, api, admin_user, ticket):
        response = api.post("comments", body(ticket, admin_user), format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert list(data) == [
            "attachments",
            "author",
            "author_type",
            "content",
            "created_at",
            "id",
            "private",
            "ticket",
            "updated_at",
        ]
        assert data["attachments"] == []
        assert data["author"] == admin_user.pk
        assert data["author_type"] == "oro"
        assert data["content"] == "Test Comment"
        assert data["private"] is False
        assert data["ticket"] == ticket.pk
        assert data["created_at"].endswith("+0000")
        assert response["Location"] == f"http://testserver{STAFF_PREFIX}/comments/{data['id']}"
        comment = Comment.objects.get(pk=data["id"])
        assert (comment.author_user, comment.author_customer) == (admin_user, None)

    def test_location_keeps_format_suffix(self, api, admin_user, ticket):
        response = api.post("comments.json", body(ticket, admin_user), format="json")
        assert response["Location"].endswith(f"/comments/{response.json()['id']}.json")

    def test_staff_can_write_for_a_customer(self, api, ticket):
        customer = make_customer()
        response = api.post("comments", body(ticket, customer), format="json")
        assert response.status_code == 201, response.content
        assert (response.json()["author"], response.json()["author_type"]) == (customer.pk, "diamante")
        assert Comment.objects.get().author_customer == customer

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("new", "new"),
            ("Open", "open"),
            ("PENDING", "pending"),
            ("In progress", "in_progress"),
            ("in_progress", "in_progress"),
            ("closed", "closed"),
            ("On Hold", "on_hold"),
            ("ON_HOLD", "on_hold"),
        ],
    )
    def test_ticket_status_sets_the_ticket(self, api, admin_user, ticket, given, stored):
        response = api.post("comments", body(ticket, admin_user, ticketStatus=given), format="json")
        assert response.status_code == 201, response.content
        changed = Ticket.objects.get(pk=ticket.pk)
        assert changed.status == stored
        assert changed.updated_at > ticket.updated_at

    def test_without_ticket_status_the_ticket_is_untouched(self, api, admin_user, ticket):
        assert api.post("comments", body(ticket, admin_user), format="json").status_code == 201
        unchanged = Ticket.objects.get(pk=ticket.pk)
        assert (unchanged.status, unchanged.updated_at) == (ticket.status, ticket.updated_at)

    @pytest.mark.parametrize("status", ["done", "in-progress", ["new"], 3])
    def test_bad_ticket_status_is_400_and_nothing_changes(self, api, admin_user, ticket, status):
        response = api.post("comments", body(ticket, admin_user, ticket_status=status), format="json")
        assert response.status_code == 400
        assert response.json()["error"] == (
            "ticket_status: Should be one of: new, open, pending, in_progress, closed, on_hold."
        )
        assert Comment.objects.count() == 0
        assert Ticket.objects.get(pk=ticket.pk).updated_at == ticket.updated_at

    @pytest.mark.parametrize("missing", ["content", "ticket", "author"])
    def test_required_fields(self, api, admin_user, ticket, missing):
        data = body(ticket, admin_user)
        del data[missing]
        response = api.post("comments", data, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == f"{missing}: This field is required."
        assert Comment.objects.count() == 0

    @pytest.mark.parametrize("content", ["", "   ", "nul\x00byte"])
    def test_bad_content_is_400(self, api, admin_user, ticket, content):
        response = api.post("comments", body(ticket, admin_user, content=content), format="json")
        assert response.status_code == 400
        assert response.json()["error"].startswith("content: ")

    def test_missing_ticket_is_404(self, api, admin_user):
        response = api.post(
            "comments", {"content": "x", "ticket": 999999, "author": admin_user.person_id}, format="json"
        )
        assert response.status_code == 404
        assert response.json() == TICKET_NOT_FOUND

    @pytest.mark.parametrize("ticket_id", ["abc", "1.5", "-1", "9" * 19, True, None])
    def test_malformed_ticket_is_400(self, api, admin_user, ticket_id):
        response = api.post(
            "comments", {"content": "x", "ticket": ticket_id, "author": admin_user.person_id}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("ticket: ")

    @pytest.mark.parametrize("author", ["oro_999999999", "diamante_999999999", "oro_{inactive}"])
    def test_missing_author_is_404(self, api, ticket, author):
        inactive = make_staff("gone", is_active=False)
        response = api.post(
            "comments", {"content": "x", "ticket": ticket.pk, "author": author.format(inactive=inactive.pk)}
        )
        assert response.status_code == 404
        assert response.json() == USER_NOT_FOUND

    @pytest.mark.parametrize("author", ["1", "admin", "oro-1", "oro_", 1, ["oro_1"]])
    def test_malformed_author_is_400(self, api, ticket, author):
        response = api.post(
            "comments", {"content": "x", "ticket": ticket.pk, "author": author}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["error"] == 'author: Should be "oro_<staff id>" or "diamante_<customer id>".'

    @pytest.mark.parametrize(
        ("given", "stored"),
        [(True, True), (False, False), ("true", True), ("false", False), ("1", True), ("0", False)],
    )
    def test_private_values(self, api, admin_user, ticket, given, stored):
        response = api.post("comments", body(ticket, admin_user, private=given), format="json")
        assert response.status_code == 201, response.content
        assert response.json()["private"] is stored
        assert Comment.objects.get().private is stored

    def test_bad_private_is_400(self, api, admin_user, ticket):
        response = api.post("comments", body(ticket, admin_user, private="maybe"), format="json")
        assert response.status_code == 400
        assert response.json()["error"] == "private: Must be a valid boolean."

    def test_unknown_fields_are_ignored_and_attachments_input_is_stored(self, api, admin_user, ticket):
        data = body(
            ticket, admin_user, colour="red", attachmentsInput=[{"filename": "a.txt", "content": "eA=="}]
        )
        response = api.post("comments", data, format="json")
        assert response.status_code == 201, response.content
        assert Attachment.objects.get().comment_id == response.json()["id"]

    def test_php_form_body(self, api, admin_user, ticket):
        response = api.post(
            "comments",
            f"content=Hi&ticket={ticket.pk}&author=oro_{admin_user.pk}&ticketStatus=In+progress&private=0",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201, response.content
        assert response.json()["content"] == "Hi"
        assert response.json()["private"] is False
        assert Ticket.objects.get(pk=ticket.pk).status == "in_progress"

    def test_multipart_body(self, api, admin_user, ticket):
        response = api.post("comments", body(ticket, admin_user, private="true"), format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["private"] is True

    def test_xml_body_and_xml_answer(self, api, admin_user, ticket):
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><result><content><![CDATA[Über <b>]]></content>'
            f"<ticket>{ticket.pk}</ticket><author>oro_{admin_user.pk}</author>"
            f"<ticketStatus>closed</ticketStatus><private>false</private></result>"
        ).encode()
        response = api.post("comments", xml, content_type="application/xml")
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        text = response.content.decode()
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<result><attachments/>')
        assert f"<author>{admin_user.pk}</author><author_type><![CDATA[oro]]></author_type>" in text
        assert "<content><![CDATA[Über <b>]]></content>" in text
        assert "<private>false</private>" in text
        assert Ticket.objects.get(pk=ticket.pk).status == "closed"


class TestRead:
    def test_get_by_id_with_attachments(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user)
        plain = make_attachment(comment, "notes.txt")
        image = make_attachment(comment, "screen.png", thumbnail=True)
        response = api.get(f"comments/{comment.pk}")
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == comment.pk
        assert [item["id"] for item in data["attachments"]] == [plain.pk, image.pk]
        first, second = data["attachments"]
        assert list(first) == ["id", "created_at", "updated_at", "file"]
        assert first["file"] == {
            "url": f"http://testserver/desk/attachments/download/file/{plain.hash}",
            "filename": "notes.txt",
        }
        assert list(second) == ["id", "created_at", "updated_at", "file", "thumbnails"]
        assert second["thumbnails"]["filename"] == f"{image.hash}.png"

    def test_missing_comment_is_404(self, api):
        response = api.get("comments/424242")
        assert response.status_code == 404
        assert response.json() == COMMENT_NOT_FOUND

    def test_xml_404(self, api):
        response = api.get("comments/424242.xml")
        assert response.status_code == 404
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<result><error><![CDATA[Comment loading failed, comment not found.]]></error></result>"
        )


class TestUpdate:
    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_update_is_partial(self, api, admin_user, ticket, method):
        comment = age(make_comment(ticket, admin_user, content="Old", private=True))
        response = getattr(api, method)(f"comments/{comment.pk}", {"content": "New"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["content"] == "New"
        assert response.json()["private"] is True
        stored = Comment.objects.get(pk=comment.pk)
        assert stored.content == "New"
        assert stored.updated_at > comment.updated_at
        assert Ticket.objects.get(pk=ticket.pk).updated_at == ticket.updated_at

    def test_ticket_status_changes_the_ticket(self, api, admin_user, ticket):
        comment = age(make_comment(ticket, admin_user, content="Keep"))
        response = api.put(
            f"comments/{comment.pk}",
            {"content": "Test Comment Updated PUT", "ticketStatus": "closed"},
            format="json",
        )
        assert response.status_code == 200, response.content
        changed = Ticket.objects.get(pk=ticket.pk)
        assert changed.status == "closed"
        assert changed.updated_at > ticket.updated_at

    def test_status_only_leaves_the_comment(self, api, admin_user, ticket):
        comment = age(make_comment(ticket, admin_user, content="Keep"))
        response = api.patch(f"comments/{comment.pk}", {"ticket_status": "On Hold"}, format="json")
        assert response.status_code == 200, response.content
        assert Ticket.objects.get(pk=ticket.pk).status == "on_hold"
        assert Comment.objects.get(pk=comment.pk).updated_at == comment.updated_at

    def test_private_can_change(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user)
        response = api.patch(
            f"comments/{comment.pk}", "private=1", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200, response.content
        assert Comment.objects.get(pk=comment.pk).private is True

    def test_bad_status_changes_nothing(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user, content="Keep")
        response = api.patch(f"comments/{comment.pk}", {"content": "New", "ticketStatus": "x"}, format="json")
        assert response.status_code == 400
        assert response.json()["error"].startswith("ticket_status: Should be one of")
        assert Comment.objects.get(pk=comment.pk).content == "Keep"
        assert Ticket.objects.get(pk=ticket.pk).status == "new"

    @pytest.mark.parametrize("key", ["x", "attachmentsInput", "authorType2"])
    def test_unknown_field_is_400(self, api, admin_user, ticket, key):
        comment = make_comment(ticket, admin_user)
        response = api.put(f"comments/{comment.pk}", {key: 1}, format="json")
        assert response.status_code == 400
        assert response.json() == {"error": f'Comment does not have "{snake_case(key)}" property.'}

    def test_representation_sent_back_changes_only_what_may_change(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user, content="Old")
        data = api.get(f"comments/{comment.pk}").json()
        other = make_ticket(admin_user)
        data.update(content="New", ticket=other.pk, author=999, author_type="diamante", id=5)
        response = api.put(f"comments/{comment.pk}", data, format="json")
        assert response.status_code == 200, response.content
        stored = Comment.objects.get(pk=comment.pk)
        assert (stored.content, stored.ticket_id, stored.author_user_id) == ("New", ticket.pk, admin_user.pk)

    def test_blank_content_is_400(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user)
        response = api.patch(f"comments/{comment.pk}", {"content": ""}, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == "content: This field may not be blank."

    def test_missing_comment_is_404(self, api):
        response = api.patch("comments/424242", {"content": "x"}, format="json")
        assert response.status_code == 404
        assert response.json() == COMMENT_NOT_FOUND


class TestDelete:
    def test_delete_is_204_then_404(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user)
        make_attachment(comment)
        response = api.delete(f"comments/{comment.pk}")
        assert response.status_code == 204
        assert response.content == b""
        assert Attachment.objects.count() == 0
        assert Ticket.objects.filter(pk=ticket.pk).exists()
        again = api.delete(f"comments/{comment.pk}")
        assert again.status_code == 404
        assert again.json() == COMMENT_NOT_FOUND


class TestAuthor:
    def test_staff_author(self, api, ticket):
        agent = make_staff("agent", first_name="Ann", last_name="Agent", email="ann@example.com")
        comment = make_comment(ticket, agent)
        response = api.get(f"comment/{comment.pk}/author")
        assert response.status_code == 200
        assert list(response.json().items()) == [
            ("email", "ann@example.com"),
            ("name", "Ann Agent"),
            ("id", f"oro_{agent.pk}"),
        ]

    def test_customer_author_in_xml(self, api, ticket):
        customer = make_customer("carla@example.com", "Carla", "Customer")
        comment = make_comment(ticket, customer)
        response = api.get(f"comment/{comment.pk}/author.xml")
        assert response.status_code == 200
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><email><![CDATA[carla@example.com]]></email>'
            f"<name><![CDATA[Carla Customer]]></name><id><![CDATA[diamante_{customer.pk}]]></id></result>"
        )

    def test_missing_comment_is_404(self, api):
        response = api.get("comment/424242/author")
        assert response.status_code == 404
        assert response.json() == COMMENT_NOT_FOUND

    @pytest.mark.parametrize("method", ["post", "put", "delete"])
    def test_only_get(self, api, admin_user, ticket, method):
        comment = make_comment(ticket, admin_user)
        response = getattr(api, method)(f"comment/{comment.pk}/author")
        assert response.status_code == 405
        assert "error" in response.json()


class TestRoutes:
    @pytest.mark.parametrize(
        "path", ["comments", "comments/", "comments.json", "comments.xml", "comments/.json", "comments/.xml/"]
    )
    def test_collection_suffixes_and_slashes(self, api, path):
        assert api.get(path).status_code == 200

    @pytest.mark.parametrize("suffix", ["", "/", ".json", ".xml", "/.json"])
    def test_detail_and_author_suffixes(self, api, admin_user, ticket, suffix):
        comment = make_comment(ticket, admin_user)
        assert api.get(f"comments/{comment.pk}{suffix}").status_code == 200
        assert api.get(f"comment/{comment.pk}/author{suffix}").status_code == 200

    @pytest.mark.parametrize("prefix", [STAFF_PREFIX, CUSTOMER_PREFIX])
    @pytest.mark.parametrize("version", ["latest", "v1"])
    def test_both_mounts_and_versions(self, db, prefix, version):
        customer = make_customer()
        principal = customer if prefix == CUSTOMER_PREFIX else make_staff()
        client = client_for(principal)
        comment = make_comment(make_ticket(customer), principal)
        base = prefix.replace("latest", version)
        assert client.get(f"{base}/comments").json()[0]["id"] == comment.pk
        assert client.get(f"{base}/comments/{comment.pk}").status_code == 200
        assert client.get(f"{base}/comment/{comment.pk}/author").json()["id"] == principal.person_id

    def test_plural_author_route_does_not_exist(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user)
        assert api.get(f"comments/{comment.pk}/author").status_code == 404

    def test_wrong_method_is_405(self, api, admin_user, ticket):
        comment = make_comment(ticket, admin_user)
        response = api.post(f"comments/{comment.pk}", {}, format="json")
        assert response.status_code == 405
        assert "error" in response.json()
