"""Nothing orphaned, nothing lost: files go with their rows, and only once the database has committed."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction

from desk.attachments import views
from desk.attachments.models import Attachment
from desk.attachments.services import attachments_create, attachments_validate
from desk.attachments.storage import discard_uncommitted_files
from desk.comments.models import Comment
from desk.tickets.models import Ticket
from tests.attachments.factories import image_bytes, item, make_comment, make_ticket, storage_files, stored
from tests.conftest import client_for
from tests.factories import age

pytestmark = pytest.mark.django_db

TEXT = b"some text"


class Boom(Exception):
    """A failure after the attachments were created."""


@pytest.fixture
def ticket(admin_user):
    return make_ticket(admin_user)


@pytest.fixture
def comment(ticket, admin_user):
    return make_comment(ticket, admin_user)


def files_of(*attachments):
    """The storage names of the attachments' files and thumbnails."""
    return [name for a in attachments for name in (a.file.name, a.thumbnail.name) if name]


def attach(owner_field, owner, *names):
    """Attachments created through the service, with a thumbnail for `.png` names."""
    inputs = [item(name, image_bytes() if name.endswith(".png") else TEXT) for name in names]
    return attachments_create(inputs=inputs, **{owner_field: owner})


class TestDeletes:
    def test_comment_delete_removes_its_files_after_commit(
        self, comment, ticket, settings, django_capture_on_commit_callbacks
    ):
        gone = attach("comment", comment, "a.png", "b.txt")
        kept = attach("ticket", ticket, "c.txt")
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                Comment.objects.get(pk=comment.pk).delete()
                assert all(stored(name) for name in files_of(*gone))
        assert len(files_of(*gone)) == 3
        assert not any(stored(name) for name in files_of(*gone))
        assert storage_files(settings) == files_of(*kept)

    def test_ticket_delete_removes_its_and_its_comments_files(
        self, ticket, comment, admin_user, settings, django_capture_on_commit_callbacks
    ):
        doomed = [*attach("ticket", ticket, "t.png"), *attach("comment", comment, "c.png")]
        other = make_ticket(admin_user)
        kept = attach("ticket", other, "o.txt")
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                Ticket.objects.get(pk=ticket.pk).delete()
        assert not Attachment.objects.filter(pk__in=[a.pk for a in doomed]).exists()
        assert storage_files(settings) == files_of(*kept)

    def test_branch_delete_through_the_api_removes_every_file_below_it(
        self, api, ticket, comment, settings, django_capture_on_commit_callbacks
    ):
        attach("ticket", ticket, "t.png", "t.txt")
        attach("comment", comment, "c.png")
        second = make_ticket(ticket.reporter, branch=ticket.branch)
        attach("ticket", second, "s.txt")
        assert len(storage_files(settings)) == 6
        with django_capture_on_commit_callbacks(execute=True):
            response = api.delete(f"branches/{ticket.branch_id}")
        assert response.status_code == 204
        assert Attachment.objects.count() == 0
        assert storage_files(settings) == []

    def test_rolled_back_delete_keeps_rows_and_files(self, comment, django_capture_on_commit_callbacks):
        attachments = attach("comment", comment, "a.png")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(Boom), transaction.atomic():
                Comment.objects.get(pk=comment.pk).delete()
                raise Boom
        assert callbacks == []
        assert Attachment.objects.count() == 1
        assert all(stored(name) for name in files_of(*attachments))

    def test_attachment_delete_through_the_api_removes_both_files(
        self, api, ticket, settings, django_capture_on_commit_callbacks
    ):
        (photo,) = attach("ticket", ticket, "p.png")
        assert len(files_of(photo)) == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert api.delete(f"tickets/{ticket.pk}/attachments/{photo.pk}").status_code == 204
        assert storage_files(settings) == []


class TestRollbacks:
    def test_caller_transaction_rolling_back_deletes_the_files(self, ticket, settings):
        with pytest.raises(Boom), transaction.atomic():
            created = attach("ticket", ticket, "a.png", "b.txt")
            names = files_of(*created)
            assert len(names) == 3
            assert all(stored(name) for name in names)
            raise Boom
        discard_uncommitted_files()
        assert Attachment.objects.count() == 0
        assert storage_files(settings) == []

    def test_a_later_request_end_cleans_up_after_a_rollback(self, api, ticket, settings):
        with transaction.atomic():
            attach("ticket", ticket, "a.txt")
            transaction.set_rollback(True)
        assert storage_files(settings)
        assert api.get("branches").status_code == 200  # every request end checks
        assert storage_files(settings) == []

    def test_rolled_back_savepoint_inside_a_committed_transaction(
        self, ticket, settings, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                kept = attach("ticket", ticket, "kept.txt")
                with pytest.raises(Boom), transaction.atomic():
                    attach("ticket", ticket, "lost.png")
                    raise Boom
        discard_uncommitted_files()
        assert list(Attachment.objects.values_list("filename", flat=True)) == ["kept.txt"]
        assert storage_files(settings) == files_of(*kept)

    def test_committed_files_stay(self, ticket, settings, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                created = attach("ticket", ticket, "a.png")
        discard_uncommitted_files()
        assert storage_files(settings) == sorted(files_of(*created))

    def test_open_transaction_keeps_its_files_until_it_ends(self, ticket, settings):
        with transaction.atomic():
            created = attach("ticket", ticket, "a.txt")
            discard_uncommitted_files()
            assert storage_files(settings) == files_of(*created)

    def test_validation_before_the_owner_exists(self, ticket, settings):
        validated = attachments_validate([item("a.png", image_bytes())])
        assert storage_files(settings) == []
        assert validated[0].content_type == "image/png"
        assert validated[0].thumbnail.startswith(b"\x89PNG")
        created = attachments_create(inputs=validated, ticket=ticket)
        assert storage_files(settings) == sorted(files_of(*created))

    def test_none_or_no_input_creates_nothing(self, ticket):
        assert attachments_create(inputs=None, ticket=ticket) == []
        assert attachments_create(inputs=[], ticket=ticket) == []

    def test_owner_is_one_ticket_or_one_comment(self, ticket, comment):
        with pytest.raises(ValueError):
            attachments_create(inputs=[item("a.txt", TEXT)])
        with pytest.raises(ValueError):
            attachments_create(inputs=[item("a.txt", TEXT)], ticket=ticket, comment=comment)


@pytest.mark.django_db(transaction=True)
def test_failed_commit_leaves_no_file(admin_user, settings):
    """A ticket deleted meanwhile makes the insert fail at COMMIT (deferred foreign key): files go too."""
    ticket = make_ticket(admin_user)
    Ticket.objects.filter(pk=ticket.pk).delete()
    with pytest.raises(IntegrityError):
        attach("ticket", ticket, "a.png")
    assert Attachment.objects.count() == 0
    assert storage_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_post_racing_a_ticket_delete_is_404(admin_user, settings, monkeypatch):
    """A ticket deleted between the view's lookup and the insert is not found, and leaves no file."""
    ticket = make_ticket(admin_user)
    real = views.attachments_create

    def after_a_concurrent_delete(**kwargs):
        Ticket.objects.filter(pk=ticket.pk).delete()
        return real(**kwargs)

    monkeypatch.setattr(views, "attachments_create", after_a_concurrent_delete)
    response = client_for(admin_user).post(
        f"tickets/{ticket.pk}/attachments",
        {"attachmentsInput": [item("a.png", image_bytes())]},
        format="json",
    )
    assert response.status_code == 404
    assert response.json() == {"error": "Ticket loading failed, ticket not found."}
    assert storage_files(settings) == []


class TestPurgeCommand:
    def test_deletes_old_orphans_only(self, ticket, settings):
        (kept,) = attach("ticket", ticket, "kept.png")
        storage = kept.file.storage
        old_orphan = storage.save("attachments/ab/old-orphan", ContentFile(b"x"))
        young_orphan = storage.save("thumbnails/cd/young-orphan.png", ContentFile(b"x"))
        an_hour_ago = time.time() - 3600
        for name in (old_orphan, kept.file.name, kept.thumbnail.name):
            os.utime(settings.MEDIA_ROOT / name, (an_hour_ago, an_hour_ago))
        call_command(
            "purge_attachment_files", "--older-than", "60", "--dry-run", stdout=open(os.devnull, "w")
        )
        assert stored(old_orphan)
        call_command("purge_attachment_files", "--older-than", "60", stdout=open(os.devnull, "w"))
        assert not stored(old_orphan)
        assert stored(young_orphan)
        assert stored(kept.file.name)
        assert stored(kept.thumbnail.name)


def test_admin_shows_and_deletes_but_does_not_add(
    client, admin_user, ticket, settings, django_capture_on_commit_callbacks
):
    (attachment,) = attach("ticket", ticket, "a.png")
    client.force_login(admin_user)
    page = client.get(f"/admin/attachments/attachment/{attachment.pk}/change/")
    assert page.status_code == 200
    assert f"/desk/attachments/download/file/{attachment.hash}" in page.content.decode()
    assert client.get("/admin/attachments/attachment/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(f"/admin/attachments/attachment/{attachment.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert storage_files(settings) == []


def test_adding_and_removing_attachments_moves_the_owners_updated_at(api, admin_user):
    ticket = age(make_ticket(admin_user))
    comment = age(make_comment(ticket, admin_user))
    created = api.post(
        f"tickets/{ticket.pk}/attachments", {"attachmentsInput": [item("a.txt", b"a")]}, format="json"
    )
    assert created.status_code == 201
    assert Ticket.objects.get(pk=ticket.pk).updated_at > ticket.updated_at
    age(ticket)
    assert api.delete(f"tickets/{ticket.pk}/attachments/{created.json()[0]['id']}").status_code == 204
    assert Ticket.objects.get(pk=ticket.pk).updated_at > ticket.updated_at
    response = api.post(
        f"comments/{comment.pk}/attachments", {"attachmentsInput": [item("b.txt", b"b")]}, format="json"
    )
    assert response.status_code == 201
    assert Comment.objects.get(pk=comment.pk).updated_at > comment.updated_at
