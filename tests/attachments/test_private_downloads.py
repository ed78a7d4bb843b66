"""Downloads stay private: never cached, new links when something leaves a customer's reach, signed links."""

import time

import pytest
from django.core import signing

from desk.attachments.models import Attachment
from desk.comments.services import comment_update
from desk.tickets.services import ticket_update
from tests.admin.helpers import admin_url, form_data
from tests.attachments.factories import TEXT, item
from tests.conftest import client_for
from tests.factories import make_branch, make_comment, make_customer, make_ticket

pytestmark = pytest.mark.django_db


def attach(api, path):
    """POST one text file to a ticket's or comment's attachments and return its file URL, as a path."""
    response = api.post(f"{path}/attachments", {"attachmentsInput": [item("a.txt", TEXT)]}, format="json")
    assert response.status_code == 201, response.content
    return response.json()[0]["file"]["url"].removeprefix("http://testserver")


@pytest.fixture
def reporter(db):
    return make_customer("reporter@example.com")


@pytest.fixture
def ticket(reporter):
    return make_ticket(reporter, make_branch())


def test_no_cache_may_keep_a_download_or_its_errors(client, api, ticket):
    url = attach(api, f"tickets/{ticket.pk}")
    assert client.get(url)["Cache-Control"] == "private, no-store"
    assert client.get("/desk/attachments/download/file/" + "0" * 32)["Cache-Control"] == "private, no-store"


def test_a_comment_turning_private_breaks_its_old_links(client, api, ticket, admin_user, reporter):
    comment = make_comment(ticket, admin_user)
    old = attach(api, f"comments/{comment.pk}")
    other = attach(api, f"tickets/{ticket.pk}")
    comment_update(comment=comment, content="Still public")
    assert client.get(old).status_code == 200, "an edit that keeps the comment public keeps its links"

    response = api.patch(f"comments/{comment.pk}", {"private": True}, format="json")
    assert response.status_code == 200
    assert client.get(old).status_code == 404
    assert client.get(other).status_code == 200, "the ticket's own files are not the comment's"
    new = api.get(f"comments/{comment.pk}/attachments").json()[0]["file"]["url"]
    assert b"".join(client.get(new.removeprefix("http://testserver")).streaming_content) == TEXT
    assert client_for(reporter).get(f"comments/{comment.pk}/attachments").status_code == 404


def test_a_ticket_given_to_another_customer_breaks_all_its_links(client, api, ticket, admin_user):
    comment = make_comment(ticket, admin_user)
    urls = [attach(api, f"tickets/{ticket.pk}"), attach(api, f"comments/{comment.pk}")]
    ticket_update(ticket=ticket, subject="Renamed")
    assert [client.get(url).status_code for url in urls] == [200, 200]

    ticket_update(ticket=ticket, reporter_customer=make_customer("other@example.com"))
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert len(set(Attachment.objects.values_list("hash", flat=True))) == 2


def test_a_private_comment_made_in_the_admin_breaks_its_links(client, api, ticket, admin_user):
    comment = make_comment(ticket, admin_user)
    old = attach(api, f"comments/{comment.pk}")
    client.force_login(admin_user)
    url = admin_url(type(comment), "change", comment.pk)
    body = {**form_data(client.get(url)), "private": "on"}
    assert client.post(url, body).status_code == 302
    comment.refresh_from_db()
    assert comment.private
    assert client.get(old).status_code == 404


class TestSignedDownloads:
    @pytest.fixture(autouse=True)
    def _signed(self, settings):
        settings.DESK_SIGNED_DOWNLOADS = True
        settings.DESK_DOWNLOAD_TOKEN_LIFETIME = 60

    def test_the_api_answers_links_with_a_token_that_works(self, client, api, ticket):
        url = attach(api, f"tickets/{ticket.pk}")
        assert "?token=" in url
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == TEXT

    def test_without_a_valid_token_every_hash_is_403(self, client, api, ticket):
        url = attach(api, f"tickets/{ticket.pk}")
        bare, token = url.split("?token=")
        stranger = "/desk/attachments/download/file/" + "0" * 32
        for path in (bare, f"{bare}?token=nonsense", f"{bare}?token={token[:-2]}xx", stranger):
            response = client.get(path)
            assert response.status_code == 403, path
            assert response.json() == {"error": "Download link is missing its token, or it has expired."}
        other = Attachment.objects.create(ticket=ticket, filename="b.txt", file="attachments/00/x")
        assert client.get(f"/desk/attachments/download/file/{other.hash}?token={token}").status_code == 403

    def test_an_expired_token_is_refused(self, client, api, ticket, settings, monkeypatch):
        url = attach(api, f"tickets/{ticket.pk}")
        later = time.time() + settings.DESK_DOWNLOAD_TOKEN_LIFETIME + 1
        monkeypatch.setattr(signing.time, "time", lambda: later)
        assert client.get(url).status_code == 403
