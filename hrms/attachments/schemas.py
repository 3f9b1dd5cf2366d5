"""Inputs of the upload form (the file itself is checked by the service)."""

from marshmallow import fields, validate

from hrms.attachments.models import AttachmentKind
from hrms.core.schemas import InputSchema


class UploadInput(InputSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in AttachmentKind]))
    description = fields.String(load_default=None, validate=validate.Length(max=255))
