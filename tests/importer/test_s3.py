"""Imported attachment files go into S3-compatible storage as well, and a failed import takes them out."""

import pytest
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from desk.attachments.models import Attachment
from tests.attachments.test_s3 import bucket, s3_endpoint  # noqa: F401 (fixtures)
from tests.importer import sample
from tests.importer.conftest import run_command

pytestmark = pytest.mark.django_db


def test_files_copied_into_the_bucket_and_served_by_the_old_hash(source_10, attachments_root, bucket):  # noqa: F811
    run_command(source_10, attachments_root=attachments_root)
    stored = [
        name
        for attachment in Attachment.objects.all()
        for name in (attachment.file.name, attachment.thumbnail.name)
        if name
    ]
    assert len(stored) == 6  # four files, two of them images with thumbnails
    assert bucket() == sorted(f"desk/{name}" for name in stored)
    response = APIClient().get(f"/desk/attachments/download/file/{sample.IMAGE_HASH}")
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content) == (attachments_root / "ticket" / "login-error.png").read_bytes()
    )


def test_failed_import_leaves_the_bucket_empty(source_10, attachments_root, bucket):  # noqa: F811
    (attachments_root / "comment" / "log.txt").unlink()
    (attachments_root / "comment" / "log.txt").mkdir()
    with pytest.raises(CommandError, match="not a readable file"):
        run_command(source_10, attachments_root=attachments_root)
    assert bucket() == []
    assert not Attachment.objects.exists()
