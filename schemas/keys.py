from marshmallow import Schema, fields, validate

from service.rules.keys import ROLES

from .common import page_of
from .fields import Id, Text, UtcDateTime

ROLE = {"description": "reader, checker (may review), editor (may also create and edit), admin (keys)."}


class KeyCreateSchema(Schema):
    owner = Text(required=True, min_length=1, max_length=200, metadata={"description": "Named as the actor in the audit log."})
    role = fields.String(required=True, validate=validate.OneOf(ROLES), metadata=ROLE)


class KeyRevokeSchema(Schema):
    reason = Text(max_length=2000)


class KeySchema(Schema):
    id = Id(required=True, metadata={"description": "Random, and no part of the secret: the audit log's actor_key_id."})
    owner = fields.String(required=True)
    role = fields.String(required=True, metadata=ROLE)
    created_at = UtcDateTime(required=True)
    revoked_at = UtcDateTime(required=True, allow_none=True)


class CreatedKeySchema(KeySchema):
    key = fields.String(required=True, metadata={"description": "The secret. Shown this once; keep it."})


KeyPageSchema = page_of(KeySchema, "KeyPage")
