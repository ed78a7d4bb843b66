"""The Attachment representation: id, dates, then the file and thumbnail links, in that order."""

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from desk.api.renderers import FixedOrder
from desk.api.schema_extensions import WIRE_DATETIME
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

    takes_attachments_input = True

    def validate(self, attrs):
        attrs = super().validate(attrs)
        data = self.initial_data if isinstance(self.initial_data, dict) else {}
        if self.instance is None and data.get("attachments_input") is not None:
            attrs["attachments_input"] = attachments_validate(data["attachments_input"])
        return attrs


class AttachmentSchema(OpenApiSerializerExtension):
    """An attachment with its download links, which the serializer builds by hand."""

    target_class = "desk.attachments.serializers.AttachmentSerializer"

    def map_serializer(self, auto_schema, direction):
        link = {
            "type": "object",
            "properties": {"url": {"type": "string", "format": "uri"}, "filename": {"type": "string"}},
            "required": ["url", "filename"],
        }
        return {
            "type": "object",
            "description": "An attachment; `thumbnails` only for images. Keys in this order.",
            "properties": {
                "id": {"type": "integer"},
                "created_at": dict(WIRE_DATETIME),
                "updated_at": dict(WIRE_DATETIME),
                "file": {**link, "description": "Download link and the original filename."},
                "thumbnails": {**link, "description": "A 100×100 PNG thumbnail."},
            },
            "required": ["id", "created_at", "updated_at", "file"],
        }
