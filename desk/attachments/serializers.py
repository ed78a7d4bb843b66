"""The Attachment representation: id, dates, then the file and thumbnail links, in that order."""

from django.urls import reverse
from rest_framework import serializers

from desk.api.renderers import FixedOrder
from desk.attachments.models import Attachment
from desk.attachments.services import attachments_validate


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment with absolute download links; `thumbnails` only when a thumbnail exists."""

    class Meta:
        model = Attachment
        fields = ["id", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")

        def absolute(name):
            path = reverse(name, kwargs={"hash": instance.hash})
            return request.build_absolute_uri(path) if request else path

        result = FixedOrder(id=data["id"], created_at=data["created_at"], updated_at=data["updated_at"])
        result["file"] = FixedOrder(url=absolute("attachment-file"), filename=instance.filename)
        if instance.thumbnail:
            result["thumbnails"] = FixedOrder(
                url=absolute("attachment-thumbnail"), filename=f"{instance.hash}.png"
            )
        return result


class AttachmentsInputMixin:
    """Lets a create take `attachmentsInput`, checked with the rest so nothing is saved when a file is bad."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        data = self.initial_data if isinstance(self.initial_data, dict) else {}
        if self.instance is None and data.get("attachments_input") is not None:
            attrs["attachments_input"] = attachments_validate(data["attachments_input"])
        return attrs
