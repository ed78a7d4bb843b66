"""Ticket create and read end to end: by id and by key, in JSON, XML and PHP forms."""

import re

import pytest

from desk.tickets.models import Ticket
from tests.conftest import CUSTOMER_PREFIX, STAFF_PREFIX, client_for
from tests.factories import make_customer, make_staff
from tests.tickets.factories import (
    BRANCH_NOT_FOUND,
    STATUSES,
    TICKET_NOT_FOUND,
    USER_NOT_FOUND,
    make_attachment,
    make_branch,
    make_comment,
    make_ticket,
)
from tests.tickets.factories import ticket_body as body

pytestmark = pytest.mark.django_db

DETAIL_KEYS = [
    "assignee",
    "attachments",
    "branch",
    "comments",
    "created_at",
    "description",
    "id",
    "key",
    "priority",
    "reporter",
    "source",
    "status",
    "subject",
    "unique_id",
    "updated_at",
]


class TestCreate:
    def test_create_returns_201_with_entity_and_location(self, api, admin_user, branch):
        response = api.post("tickets", body(branch, admin_user), format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert list(data) == [key for key in DETAIL_KEYS if key != "assignee"]
        assert data["branch"] == branch.pk
        assert data["key"] == "BRANCHB-1"
        assert (data["status"], data["priority"], data["source"]) == ("open", "medium", "phone")
        assert data["reporter"] == f"oro_{admin_user.pk}"
        assert data["attachments"] == [] and data["comments"] == []
        assert re.fullmatch(r"[0-9a-f]{32}", data["unique_id"]["id"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", data["created_at"])
        assert response["Location"] == f"http://testserver{STAFF_PREFIX}/tickets/{data['id']}"
        ticket = Ticket.objects.get(pk=data["id"])
        assert (ticket.reporter_user, ticket.reporter_customer, ticket.number) == (admin_user, None, 1)

    def test_location_keeps_format_suffix(self, api, admin_user, branch):
        response = api.post("tickets.json", body(branch, admin_user), format="json")
        assert response["Location"].endswith(f"/tickets/{response.json()['id']}.json")

    def test_assignee_falls_back_to_the_branch_default(self, api, admin_user):
        agent = make_staff("agent", superuser=False)
        branch = make_branch(default_assignee=agent)
        assert api.post("tickets", body(branch, admin_user), format="json").json()["assignee"] == agent.pk
        given = api.post("tickets", body(branch, admin_user, assignee=f"oro_{admin_user.pk}"), format="json")
        assert given.json()["assignee"] == admin_user.pk
        plain = api.post("tickets", body(branch, admin_user, assignee=admin_user.pk), format="json")
        assert plain.json()["assignee"] == admin_user.pk

    def test_staff_report_for_a_customer(self, api, branch):
        customer = make_customer()
        response = api.post("tickets", body(branch, customer), format="json")
        assert response.status_code == 201, response.content
        assert response.json()["reporter"] == f"diamante_{customer.pk}"
        assert Ticket.objects.get().reporter_customer == customer

    @pytest.mark.parametrize(
        ("field", "given", "stored"),
        [
            ("status", "In progress", "in_progress"),
            ("status", "in_progress", "in_progress"),
            ("status", "IN PROGRESS", "in_progress"),
            ("status", "On Hold", "on_hold"),
            ("status", "on_hold", "on_hold"),
            ("status", " Closed ", "closed"),
            ("priority", "HIGH", "high"),
            ("priority", "Low", "low"),
            ("source", "Email", "email"),
            ("source", "WEB", "web"),
        ],
    )
    def test_choices_take_values_and_labels_in_any_case(self, api, admin_user, branch, field, given, stored):
        response = api.post("tickets", body(branch, admin_user, **{field: given}), format="json")
        assert response.status_code == 201, response.content
        assert response.json()[field] == stored
        assert getattr(Ticket.objects.get(), field) == stored

    @pytest.mark.parametrize(
        ("field", "given", "allowed"),
        [
            ("status", "urgent", STATUSES),
            ("status", "", STATUSES),
            ("status", 3, STATUSES),
            ("priority", "critical", "low, medium, high"),
            ("source", "fax", "web, email, phone"),
            ("source", ["web"], "web, email, phone"),
        ],
    )
    def test_bad_choice_is_400_listing_the_values(self, api, admin_user, branch, field, given, allowed):
        response = api.post("tickets", body(branch, admin_user, **{field: given}), format="json")
        assert response.status_code == 400
        assert response.json()["error"] == f"{field}: Should be one of: {allowed}."
        assert response.json()["errors"] == {field: [f"Should be one of: {allowed}."]}
        assert Ticket.objects.count() == 0

    @pytest.mark.parametrize(
        "field", ["branch", "subject", "description", "status", "priority", "source", "reporter"]
    )
    def test_every_field_is_required(self, api, admin_user, branch, field):
        data = body(branch, admin_user)
        del data[field]
        response = api.post("tickets", data, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == f"{field}: This field is required."

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"subject": ""}, "subject: This field may not be blank."),
            ({"subject": "x" * 256}, "subject: Ensure this field has no more than 255 characters."),
            ({"description": ""}, "description: This field may not be blank."),
            ({"branch": "abc"}, "branch: Should be a branch id."),
            ({"branch": True}, "branch: Should be a branch id."),
            ({"reporter": "bob"}, 'reporter: Should be "oro_<staff id>" or "diamante_<customer id>".'),
            ({"reporter": 1}, 'reporter: Should be "oro_<staff id>" or "diamante_<customer id>".'),
            ({"assignee": "diamante_1"}, "assignee: Should be a staff user id."),
            ({"subject": "a\x00b"}, "subject: Null characters are not allowed."),
        ],
    )
    def test_bad_values_are_400(self, api, admin_user, branch, fields, message):
        response = api.post("tickets", body(branch, admin_user, **fields), format="json")
        assert response.status_code == 400
        assert response.json()["error"] == message

    def test_missing_branch_is_404(self, api, admin_user):
        response = api.post("tickets", body(make_branch(), admin_user, branch=999999), format="json")
        assert response.status_code == 404
        assert response.json() == BRANCH_NOT_FOUND

    @pytest.mark.parametrize(
        "fields", [{"reporter": "oro_999999"}, {"reporter": "diamante_999999"}, {"assignee": 999999}]
    )
    def test_missing_user_is_404(self, api, admin_user, branch, fields):
        response = api.post("tickets", body(branch, admin_user, **fields), format="json")
        assert response.status_code == 404
        assert response.json() == USER_NOT_FOUND
        assert Ticket.objects.count() == 0

    def test_unknown_fields_and_attachments_input_are_ignored_on_post(self, api, admin_user, branch):
        data = body(
            branch, admin_user, color="red", attachmentsInput=[{"filename": "a.txt", "content": "YQ=="}]
        )
        response = api.post("tickets", data, format="json")
        assert response.status_code == 201, response.content
        assert "color" not in response.json()

    def test_php_form_body(self, api, admin_user, branch):
        response = api.post(
            "tickets",
            f"branch={branch.pk}&subject=Form+ticket&description=From+PHP&status=In+progress"
            f"&priority=High&source=Email&reporter=oro_{admin_user.pk}&assignee=",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["subject"], data["status"], data["priority"], data["source"]) == (
            "Form ticket",
            "in_progress",
            "high",
            "email",
        )
        assert "assignee" not in data

    def test_multipart_body(self, api, admin_user, branch):
        response = api.post("tickets", body(branch, admin_user, status="On Hold"), format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "on_hold"

    def test_xml_body_and_xml_answer(self, api, admin_user, branch):
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><result><branch>{branch.pk}</branch>'
            "<subject><![CDATA[Xml ticket]]></subject><description>Body</description>"
            "<status>new</status><priority>low</priority><source>web</source>"
            f"<reporter>oro_{admin_user.pk}</reporter></result>"
        ).encode()
        response = api.post("tickets", xml, content_type="application/xml")
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        ticket = Ticket.objects.get()
        text = response.content.decode()
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<result><attachments/><branch>')
        assert "<comments/>" in text
        assert "<key><![CDATA[BRANCHB-1]]></key>" in text
        assert f"<reporter><![CDATA[oro_{admin_user.pk}]]></reporter>" in text
        assert f"<unique_id><id><![CDATA[{ticket.unique_id}]]></id></unique_id>" in text
        assert "<assignee" not in text

    def test_customer_is_always_the_reporter_and_cannot_assign(self, admin_user, branch):
        customer = make_customer()
        agent = make_staff("agent", superuser=False)
        branch.default_assignee = agent
        branch.save()
        client = client_for(customer)
        data = body(branch, admin_user, assignee=admin_user.pk)
        response = client.post("tickets", data, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["reporter"] == f"diamante_{customer.pk}"
        assert response.json()["assignee"] == agent.pk
        assert response["Location"] == f"http://testserver{CUSTOMER_PREFIX}/tickets/{response.json()['id']}"
        del data["reporter"]
        assert client.post("tickets", data, format="json").status_code == 201

    def test_numbers_count_per_branch(self, api, admin_user, branch):
        other = make_branch("Other", key="OTHER")
        keys = [
            api.post("tickets", body(target, admin_user), format="json").json()["key"]
            for target in (branch, branch, other, branch)
        ]
        assert keys == ["BRANCHB-1", "BRANCHB-2", "OTHER-1", "BRANCHB-3"]

    def test_numbers_are_never_reused_after_deletes(self, api, admin_user, branch):
        first = api.post("tickets", body(branch, admin_user), format="json").json()
        second = api.post("tickets", body(branch, admin_user), format="json").json()
        assert api.delete(f"tickets/{second['id']}").status_code == 204
        assert api.delete(f"tickets/{first['key']}").status_code == 204
        third = api.post("tickets", body(branch, admin_user), format="json").json()
        assert third["key"] == "BRANCHB-3"


class TestRead:
    def test_by_id_and_by_key(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch)
        by_id = api.get(f"tickets/{ticket.pk}")
        assert by_id.status_code == 200
        assert list(by_id.json()) == [key for key in DETAIL_KEYS if key != "assignee"]
        assert by_id.json()["description"] == "It smokes."
        by_key = api.get(f"tickets/{ticket.key}")
        assert by_key.json() == by_id.json()
        assert api.get(f"tickets/{ticket.key.lower()}.json").json()["id"] == ticket.pk

    def test_cyrillic_key(self, api, admin_user):
        ticket = make_ticket(admin_user, make_branch("Поддержка", key="ПОДД"))
        assert ticket.key == "ПОДД-1"
        assert api.get("tickets/ПОДД-1").json()["id"] == ticket.pk
        assert api.get("tickets/подд-1.xml").status_code == 200

    @pytest.mark.parametrize("path", ["tickets/999999", "tickets/NOPE-1", "tickets/BRANCHB-2"])
    def test_missing_ticket_is_404(self, api, admin_user, branch, path):
        make_ticket(admin_user, branch)
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == TICKET_NOT_FOUND

    def test_comments_and_attachments_in_the_detail(self, api, admin_user, branch):
        customer = make_customer()
        ticket = make_ticket(customer, branch)
        own = make_attachment(ticket, "spec.pdf")
        public = make_comment(ticket, admin_user, "Public answer")
        shot = make_attachment(public, "shot.png", thumbnail=True)
        private = make_comment(ticket, admin_user, "Internal note", private=True)
        reply = make_comment(ticket, customer, "Thanks")
        data = api.get(f"tickets/{ticket.pk}").json()
        assert [item["id"] for item in data["attachments"]] == [own.pk]
        assert list(data["attachments"][0]) == ["id", "created_at", "updated_at", "file"]
        assert data["attachments"][0]["file"] == {
            "url": f"http://testserver/desk/attachments/download/file/{own.hash}",
            "filename": "spec.pdf",
        }
        assert [comment["id"] for comment in data["comments"]] == [public.pk, private.pk, reply.pk]
        first = data["comments"][0]
        assert list(first) == [
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
        assert (first["author"], first["author_type"], first["private"], first["ticket"]) == (
            admin_user.pk,
            "oro",
            False,
            ticket.pk,
        )
        assert first["attachments"][0]["thumbnails"] == {
            "url": f"http://testserver/desk/attachments/download/thumbnail/{shot.hash}",
            "filename": f"{shot.hash}.png",
        }
        assert (data["comments"][2]["author"], data["comments"][2]["author_type"]) == (
            customer.pk,
            "diamante",
        )
        assert data["comments"][1]["private"] is True

    def test_customers_never_see_private_comments(self, admin_user, branch):
        customer = make_customer()
        ticket = make_ticket(customer, branch)
        public = make_comment(ticket, admin_user, "Public answer")
        make_comment(ticket, admin_user, "Internal note", private=True)
        data = client_for(customer).get(f"tickets/{ticket.key}").json()
        assert [comment["id"] for comment in data["comments"]] == [public.pk]
        xml = client_for(customer).get(f"tickets/{ticket.pk}.xml").content.decode()
        assert "Internal note" not in xml and "Public answer" in xml

    def test_xml_shape_of_a_ticket(self, api, admin_user, branch):
        ticket = make_ticket(admin_user, branch, subject="Xml <&> ]]> subject")
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at="2015-07-17T11:25:21Z", updated_at="2015-07-17T11:25:21Z"
        )
        response = api.get(f"tickets/{ticket.pk}.xml")
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n<result><attachments/>'
            f"<branch>{branch.pk}</branch><comments/>"
            "<created_at><![CDATA[2015-07-17T11:25:21+0000]]></created_at>"
            "<description><![CDATA[It smokes.]]></description>"
            f"<id>{ticket.pk}</id><key><![CDATA[BRANCHB-1]]></key>"
            "<priority><![CDATA[medium]]></priority>"
            f"<reporter><![CDATA[oro_{admin_user.pk}]]></reporter>"
            "<source><![CDATA[web]]></source><status><![CDATA[new]]></status>"
            "<subject><![CDATA[Xml <&> ]]]]><![CDATA[> subject]]></subject>"
            f"<unique_id><id><![CDATA[{ticket.unique_id}]]></id></unique_id>"
            "<updated_at><![CDATA[2015-07-17T11:25:21+0000]]></updated_at></result>"
        )

    def test_xml_error_shape(self, api):
        response = api.get("tickets/NOPE-1.xml")
        assert response.status_code == 404
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<result><error><![CDATA[Ticket loading failed, ticket not found.]]></error></result>"
        )
