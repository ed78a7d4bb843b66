"""Creating and deleting attachments: files and rows together, or neither."""

import io

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from desk.attachments.models import Attachment, new_download_hash
from desk.attachments.storage import delete_files, keep_only_if_committed
from desk.attachments.thumbnails import ThumbnailBudget, inspect_content
from desk.attachments.validation import IncomingFile, validate_inputs
from desk.events.log import event_deletion, event_record


class ValidatedAttachments(list):
    """Attachment input already checked, decoded and inspected by `attachments_validate`."""


def attachments_validate(inputs):
    """Check, decode and inspect attachment input without storing anything; 400 or 413 on bad input.

    `inputs` is the parsed `attachments_input` value (a list of `{"filename", "content"}` objects from JSON,
    XML or PHP forms, where `content` is base64 text or an uploaded file) and/or uploaded files.
    """
    if isinstance(inputs, ValidatedAttachments):
        return inputs
    validated = ValidatedAttachments(validate_inputs(inputs))
    # One budget for all the files of a request: ten huge images cost what one does.
    budget = ThumbnailBudget()
    for incoming in validated:
        content = incoming.content
        inspection = inspect_content(
            incoming.filename, io.BytesIO(content) if isinstance(content, bytes) else content, budget
        )
        incoming.content_type, incoming.thumbnail = inspection.content_type, inspection.thumbnail
    return validated


def _write(incoming: IncomingFile, owner, written):
    """An unsaved Attachment whose file (and thumbnail) are in storage; their names go into `written`."""
    attachment = Attachment(
        filename=incoming.filename, content_type=incoming.content_type, size=incoming.size, **owner
    )
    content = incoming.content
    # The storage name comes from the model's upload_to: random, never the client's filename.
    attachment.file.save("file", ContentFile(content) if isinstance(content, bytes) else content, save=False)
    written.append(attachment.file.name)
    if incoming.thumbnail:
        attachment.thumbnail.save("thumbnail.png", ContentFile(incoming.thumbnail), save=False)
        written.append(attachment.thumbnail.name)
    return attachment


def attachments_create(*, inputs, ticket=None, comment=None) -> list[Attachment]:
    """Store attachments on a ticket or a comment and return them; nothing is written unless all are valid.

    Ticket and comment create call it inside their own transaction, after saving the ticket or comment:

        with transaction.atomic():
            ticket = ...  # saved
            attachments = attachments_create(inputs=data.get("attachments_input"), ticket=ticket)

    `inputs` may be None (no attachments), the raw input, or `attachments_validate(...)`'s result, which
    a serializer can compute in `validate()` so that bad attachments are refused before anything is
    saved. Files written here are deleted again if the caller's transaction rolls back.
    """
    if (ticket is None) == (comment is None):
        raise ValueError("An attachment belongs to exactly one ticket or one comment.")
    if inputs is None:
        return []
    incoming = attachments_validate(inputs)
    if not incoming:
        return []
    owner = {"ticket": ticket} if ticket is not None else {"comment": comment}
    storage = Attachment._meta.get_field("file").storage
    written = []
    try:
        attachments = [_write(item, owner, written) for item in incoming]
        with transaction.atomic():
            Attachment.objects.bulk_create(attachments)
    except BaseException:
        delete_files(storage, written)
        raise
    keep_only_if_committed(storage, written)
    _touch(ticket or comment)
    for attachment in attachments:
        event_record(attachment, "created")
    return attachments


def attachment_delete(*, attachment):
    """Delete an attachment; its files go once the deletion commits (see signals)."""
    owner = attachment.ticket or attachment.comment
    with transaction.atomic(), event_deletion(attachment):
        attachment.delete()
        _touch(owner)


def _touch(owner):
    """A ticket's or comment's attachments are part of it: changing them moves its `updated_at`."""
    owner.updated_at = timezone.now()
    type(owner).objects.filter(pk=owner.pk).update(updated_at=owner.updated_at)


def attachments_rehash(*, ticket=None, comment=None):
    """New download hashes for a comment's attachments, or for a ticket's and all its comments'.

    For what leaves someone's reach (a comment turning private, a ticket given to another customer): the
    links they saw stop working, and the API answers the new ones.
    """
    if comment is not None:
        rows = Attachment.objects.filter(comment=comment)
    else:
        rows = Attachment.objects.filter(models.Q(ticket=ticket) | models.Q(comment__ticket=ticket))
    # One random hash per row; a ticket has few attachments.
    for pk in rows.values_list("pk", flat=True):
        Attachment.objects.filter(pk=pk).update(hash=new_download_hash(), updated_at=timezone.now())
