"""The Attachment representation: id, dates, then the file and thumbnail links, in that order."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from rest_framework import serializers

from desk.api.renderers import FixedOrder
from desk.attachments.links import download_path
from desk.attachments.models import Attachment
from desk.attachments.services import attachments_validate
from desk.attachments.validation import FIELD
from desk.openapi.extensions import WIRE_DATETIME

# The OpenAPI description of attachment input, for the serializers below and their fields.
ATTACHMENT_INPUT = {
    "type": "object",
    "properties": {
        "filename": {"type": "string", "example": "screenshot.png"},
        "content": {"type": "string", "format": "byte", "description": "The file, base64-encoded."},
    },
    "required": ["filename", "content"],
}
ATTACHMENTS_INPUT = {
    "type": "array",
    "items": ATTACHMENT_INPUT,
    "description": "Files to attach (`attachments_input` is accepted too). In forms: "
    "`attachmentsInput[0][filename]=x.png&attachmentsInput[0][content]=<base64>`.",
}
UPLOADED_FILE = {
    "type": "string",
    "format": "binary",
    "description": "A file uploaded as is; any multipart field holding a file is attached.",
}


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment with absolute download links; `thumbnails` only when a thumbnail exists."""

    class Meta:
        model = Attachment
        fields = ["id", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")

        def absolute(thumbnail):
            path = download_path(instance, thumbnail)
            return request.build_absolute_uri(path) if request else path

        result = FixedOrder(id=data["id"], created_at=data["created_at"], updated_at=data["updated_at"])
        result["file"] = FixedOrder(url=absolute(thumbnail=False), filename=instance.filename)
        if instance.thumbnail:
            result["thumbnails"] = FixedOrder(url=absolute(thumbnail=True), filename=f"{instance.hash}.png")
        return result


class AttachmentsInputField(serializers.Field):
    """`attachmentsInput` on a create: each item decoded and checked into a file to store, once, with the
    rest of the body, so nothing is saved when a file is bad (400) or too large (413)."""

    # The operation's body names it beside the entity: `{"attachmentsInput": [...]}`.
    body_property = ("attachmentsInput", ATTACHMENTS_INPUT)

    def __init__(self, **kwargs):
        super().__init__(write_only=True, required=False, allow_null=True, **kwargs)

    def to_internal_value(self, data):
        try:
            return attachments_validate(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict.get(FIELD, exc.messages)) from None


def _uploaded_files(data):
    """Files sent as plain multipart fields (`file`, `files[]`, any name) rather than in attachmentsInput."""
    uploads = []
    for key, value in data.items():
        if key == FIELD:
            continue
        values = value if isinstance(value, list) else [value]
        uploads.extend(item for item in values if isinstance(item, UploadedFile))
    return uploads


def attachment_inputs(data):
    """The attachments a POST carries: `attachmentsInput` items, then plainly uploaded files."""
    if not isinstance(data, dict):
        raise DjangoValidationError("Request body should be an object.")
    given = data.get(FIELD)
    uploads = _uploaded_files(data)
    if given is not None and not isinstance(given, list):
        return given  # refused by validation with the message for a wrong shape
    inputs = [*(given or []), *uploads]
    if not inputs:
        raise DjangoValidationError({FIELD: "At least one attachment is required."})
    return inputs


class AttachmentUploadSerializer(serializers.Serializer):
    """The body of `POST tickets/{id}/attachments` (and comments'): `attachmentsInput` and uploaded files."""

    def to_internal_value(self, data):
        inputs = attachment_inputs(data)
        try:
            return {FIELD: AttachmentsInputField().to_internal_value(inputs)}
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({FIELD: exc.detail}) from None

    @staticmethod
    def openapi_bodies(media_types):
        """The request body's schema per media type: files as `attachmentsInput`, or uploaded as they are."""
        bodies = {
            media_type: {"type": "object", "properties": {"attachmentsInput": ATTACHMENTS_INPUT}}
            for media_type in media_types
        }
        bodies["multipart/form-data"] = {
            "type": "object",
            "properties": {"attachmentsInput": ATTACHMENTS_INPUT, "file": UPLOADED_FILE},
        }
        return bodies


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


class AttachmentsInputFieldSchema(OpenApiSerializerFieldExtension):
    """`attachmentsInput`: a list of `{filename, content}`, shown beside the entity in a create's body."""

    target_class = "desk.attachments.serializers.AttachmentsInputField"

    def map_serializer_field(self, auto_schema, direction):
        return dict(ATTACHMENTS_INPUT)
