"""Attachments in S3-compatible object storage, against a real S3 server (moto) run locally by the tests."""

import gc
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from desk.attachments.models import Attachment
from desk.attachments.storage import discard_uncommitted_files
from tests.attachments.factories import image_bytes, item, make_comment, make_ticket, storage_files

pytestmark = pytest.mark.django_db

REGION = "us-east-1"
ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible server on a free loopback port, for this module's tests only."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("The local S3 server did not start.") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh bucket, with Django's default storage pointed at it the way DESK_S3_* settings do."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    name = f"desk-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "location": "desk",
                "max_memory_size": 2 * 1024 * 1024,
            },
        },
    }

    def keys():
        listing = client.list_objects_v2(Bucket=name)
        return sorted(entry["Key"] for entry in listing.get("Contents", []))

    return keys


@pytest.fixture
def ticket(admin_user):
    return make_ticket(admin_user)


def fetch(client, url):
    return client.get(url.removeprefix("http://testserver"))


def test_upload_download_and_delete(api, ticket, bucket, settings, django_capture_on_commit_callbacks):
    big = os.urandom(3 * 1024 * 1024)  # over the in-memory buffer: the download spills to a temporary file
    response = api.post(
        f"tickets/{ticket.pk}/attachments",
        {"attachmentsInput": [item("photo.png", image_bytes()), item("big.bin", big)]},
        format="json",
    )
    assert response.status_code == 201, response.content
    photo, blob = (Attachment.objects.get(pk=entry["id"]) for entry in response.json())
    assert bucket() == sorted(
        f"desk/{name}" for name in (photo.file.name, photo.thumbnail.name, blob.file.name)
    )
    assert storage_files(settings) == []  # nothing on local disk
    assert fetch(api, response.json()[0]["file"]["url"]).getvalue() == image_bytes()
    downloaded = fetch(api, response.json()[1]["file"]["url"])
    assert downloaded.streaming
    assert downloaded["Content-Length"] == str(len(big))
    assert downloaded.getvalue() == big
    thumbnail = fetch(api, response.json()[0]["thumbnails"]["url"])
    assert thumbnail["Content-Type"] == "image/png"
    assert thumbnail.getvalue().startswith(b"\x89PNG")

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"tickets/{ticket.pk}/attachments/{photo.pk}").status_code == 204
    assert bucket() == [f"desk/{blob.file.name}"]


def test_multipart_upload(api, ticket, bucket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"uploaded through a form\n"
    response = api.post(
        f"tickets/{ticket.pk}/attachments", {"file": SimpleUploadedFile("form.txt", data)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    served = fetch(api, response.json()[0]["file"]["url"])
    assert served.getvalue() == data
    assert served["Content-Disposition"] == 'attachment; filename="form.txt"'
    assert len(bucket()) == 1


def test_a_multipart_upload_spilled_to_disk_leaves_no_temporary_file(api, ticket, bucket, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    # The collector would remove the file at some later moment; the request must do it when it ends.
    gc.disable()
    try:
        response = api.post(
            f"tickets/{ticket.pk}/attachments",
            {"file": SimpleUploadedFile("big.bin", b"x" * 5000)},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        assert list((tmp_path / "uploads").iterdir()) == []
    finally:
        gc.enable()


def test_branch_delete_removes_every_object(
    api, ticket, admin_user, bucket, django_capture_on_commit_callbacks
):
    comment = make_comment(ticket, admin_user)
    for path in (f"tickets/{ticket.pk}/attachments", f"comments/{comment.pk}/attachments"):
        body = {"attachmentsInput": [item("p.png", image_bytes()), item("t.txt", b"text")]}
        assert api.post(path, body, format="json").status_code == 201
    assert len(bucket()) == 6
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"branches/{ticket.branch_id}").status_code == 204
    assert bucket() == []


def test_rollback_leaves_no_object(ticket, bucket):
    from desk.attachments.services import attachments_create

    with transaction.atomic():
        attachments_create(inputs=[item("p.png", image_bytes())], ticket=ticket)
        assert len(bucket()) == 2
        transaction.set_rollback(True)
    discard_uncommitted_files()
    assert bucket() == []


def test_purge_removes_orphaned_objects(api, ticket, bucket):
    response = api.post(
        f"tickets/{ticket.pk}/attachments", {"attachmentsInput": [item("kept.txt", b"kept")]}, format="json"
    )
    kept = Attachment.objects.get(pk=response.json()[0]["id"])
    orphan = kept.file.storage.save("attachments/ff/orphan", ContentFile(b"lost"))
    with open(os.devnull, "w") as quiet:
        call_command("purge_attachment_files", "--older-than", "0", stdout=quiet)
    assert bucket() == [f"desk/{kept.file.name}"]
    assert orphan != kept.file.name


def test_settings_select_s3_from_the_environment(tmp_path):
    environment = {
        **os.environ,
        "DESK_VAR_DIR": str(tmp_path),
        "DESK_S3_BUCKET": "desk-files",
        "DESK_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "DESK_S3_REGION": "eu-central-1",
        "DESK_S3_PREFIX": "prod",
        "DESK_S3_ADDRESSING_STYLE": "path",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import default_storage as s; "
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], s.bucket_name, s.endpoint_url, "
        "s.region_name, s.location, s.addressing_style]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "DJANGO_SETTINGS_MODULE": "diamantedesk.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(output) == [
        "storages.backends.s3.S3Storage",
        "desk-files",
        "http://127.0.0.1:9000",
        "eu-central-1",
        "prod",
        "path",
    ]
    without = {key: value for key, value in environment.items() if not key.startswith("DESK_S3")}
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        env={**without, "DJANGO_SETTINGS_MODULE": "diamantedesk.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "FileSystemStorage" in output
