from marshmallow import Schema, fields, validate

from service.rules.speakers import KINDS

from .common import PageArgsSchema, page_of
from .fields import Id, Text, UtcDateTime

KIND = {"description": "person or organization: how ClaimReview names the speaker as a claim's author."}


class SpeakerFieldsSchema(Schema):
    """The fields a client sets; on their own (none required) they are what a PATCH may send."""

    name = Text(min_length=1, max_length=300)
    kind = fields.String(validate=validate.OneOf(KINDS), metadata=KIND)
    aliases = fields.List(Text(min_length=1, max_length=300), validate=validate.Length(max=50))
    role = Text(allow_none=True, max_length=300, metadata={"description": "Role or title, e.g. Defense Minister."})
    affiliation = Text(allow_none=True, max_length=300)
    region = Text(allow_none=True, max_length=300, metadata={"description": "Where the speaker is based, e.g. a state."})
    external_id = Text(
        allow_none=True, max_length=200, metadata={"description": "An outside identifier, e.g. a Wikidata QID."}
    )


class SpeakerCreateSchema(SpeakerFieldsSchema):
    name = Text(required=True, min_length=1, max_length=300)


class SpeakerUpdateSchema(SpeakerFieldsSchema):
    reason = Text(max_length=2000, metadata={"description": "Why, kept in the audit history."})


class SpeakerSchema(Schema):
    id = Id(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata=KIND)
    aliases = fields.List(fields.String(), required=True)
    role = fields.String(required=True, allow_none=True)
    affiliation = fields.String(required=True, allow_none=True)
    region = fields.String(required=True, allow_none=True)
    external_id = fields.String(required=True, allow_none=True)
    merged_into_id = Id(required=True, allow_none=True,
                        metadata={"description": "The speaker this one was merged into, if it was."})
    version = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class SpeakerMergeSchema(Schema):
    into = Id(required=True, metadata={"description": "The speaker that remains."})
    reason = Text(max_length=2000, metadata={"description": "Why, kept in the audit history."})


class SpeakerListArgsSchema(PageArgsSchema):
    name = Text(max_length=300, metadata={"description": "Exact name."})
    include_merged = fields.Boolean(load_default=False, metadata={"description": "Also list merged speakers."})


SpeakerPageSchema = page_of(SpeakerSchema, "SpeakerPage")
