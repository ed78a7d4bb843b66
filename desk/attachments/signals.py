"""Files follow their rows: deleting an attachment, or its comment, ticket or branch, removes its files."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from desk.attachments.models import Attachment
from desk.attachments.storage import delete_files_on_commit


@receiver(post_delete, sender=Attachment, dispatch_uid="attachments_delete_files")
def delete_attachment_files(sender, instance, using, **kwargs):
    """Remove the file and thumbnail once the deletion commits; a rollback keeps both."""
    delete_files_on_commit(instance.file.storage, [instance.file.name, instance.thumbnail.name], using=using)
