from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .common import PageArgsSchema, page_of
from .fields import Id, StoredInteger, Text, UtcDateTime
from .sources import SentenceSchema
from .speakers import SpeakerSchema

Tag = Text(min_length=1, max_length=100)


class AppearanceInputSchema(Schema):
    source_id = Id(required=True)
    sentence_index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10_000_000))
    quote = Text(
        min_length=1, max_length=10_000,
        metadata={"description": "The exact words within the sentence; the whole sentence when left out."},
    )
    occurrence = fields.Integer(
        strict=True, load_default=1, validate=validate.Range(min=1, max=10_000),
        metadata={"description": "Which place of the quote in the sentence, when it occurs more than once: "
                                 "1 for the first, 2 for the second, counting every place it starts."},
    )


class ClaimCreateSchema(Schema):
    text = Text(required=True, min_length=1, max_length=2000, metadata={"description": "The claim in plain words."})
    speaker_id = Id(allow_none=True)
    claim_date = fields.Date(allow_none=True, metadata={"description": "When the claim was made, if known."})
    tags = fields.List(Tag, load_default=list, validate=validate.Length(max=50))
    appearance = fields.Nested(AppearanceInputSchema, required=True)


class ClaimUpdateSchema(Schema):
    text = Text(min_length=1, max_length=2000)
    speaker_id = Id(allow_none=True)
    claim_date = fields.Date(allow_none=True)
    tags = fields.List(Tag, validate=validate.Length(max=50))
    reason = Text(max_length=2000, metadata={"description": "Why, kept in the audit history."})

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not set(data) - {"reason"}:
            raise ValidationError("Give at least one of text, speaker_id, claim_date, tags.", "_schema")


class AppearanceAddSchema(AppearanceInputSchema):
    reason = Text(max_length=2000, metadata={"description": "Why, kept in the audit history."})


class TextQuoteSelectorSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(["TextQuoteSelector"]))
    exact = Text(required=True, max_length=None)
    prefix = Text(required=True, max_length=None)
    suffix = Text(required=True, max_length=None)


class TextPositionSelectorSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(["TextPositionSelector"]))
    start = StoredInteger(required=True)
    end = StoredInteger(required=True)


class AppearanceSchema(Schema):
    id = Id(required=True)
    source_id = Id(required=True)
    sentence_index = StoredInteger(required=True)
    quote_selector = fields.Nested(TextQuoteSelectorSchema, required=True)
    position_selector = fields.Nested(TextPositionSelectorSchema, required=True)
    created_at = UtcDateTime(required=True)


class ClaimSchema(Schema):
    id = Id(required=True)
    external_id = fields.String(
        required=True, allow_none=True,
        metadata={"description": "The claim's identity outside this service (e.g. liar:2635), set by bulk import."},
    )
    text = fields.String(required=True)
    speaker_id = Id(required=True, allow_none=True)
    speaker = fields.Nested(SpeakerSchema, required=True, allow_none=True)
    claim_date = fields.Date(required=True, allow_none=True)
    status = fields.String(
        required=True,
        metadata={"description": "unverified, in_review, a verdict id from GET /verdicts, or retracted."},
    )
    tags = fields.List(fields.String(), required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    version = fields.Integer(required=True)
    appearances = fields.List(fields.Nested(AppearanceSchema), required=True)
    first_appearance_id = Id(
        required=True, allow_none=True,
        metadata={"description": "The appearance in the earliest-published source."},
    )
    snippet = fields.String(
        metadata={"description": "Search results only: matching text, HTML-escaped, with <mark> around the hits."},
    )


class LikelyDuplicateSchema(Schema):
    id = Id(required=True)
    text = fields.String(required=True)
    status = fields.String(required=True)
    score = fields.Float(required=True, metadata={"description": "0 to 1: how alike the two claims are."})


class ClaimCreatedSchema(ClaimSchema):
    likely_duplicates = fields.List(
        fields.Nested(LikelyDuplicateSchema), required=True,
        metadata={"description": "Stored claims that are probably the same claim (score >= 0.5), best first."},
    )


class MatchRequestSchema(Schema):
    text = Text(required=True, min_length=1, max_length=2000)
    limit = fields.Integer(load_default=5, strict=True, validate=validate.Range(min=1, max=20))


class MatchSchema(Schema):
    claim = fields.Nested(ClaimSchema, required=True)
    score = fields.Float(required=True, metadata={"description": "0 to 1: how alike the two claims are."})


class MatchResultSchema(Schema):
    matches = fields.List(fields.Nested(MatchSchema), required=True)


class ClaimListArgsSchema(PageArgsSchema):
    q = Text(
        min_length=1, max_length=500,
        metadata={"description": "Full-text search over claim text and quoted sentences: the newest 100 "
                                 "matches ranked by where the words stand, then older matches, newest first."},
    )
    status = Text(
        max_length=32,
        metadata={"description": "unverified, in_review, a verdict id from GET /verdicts, or retracted."},
    )
    speaker_id = Id()
    source_id = Id()
    tag = Text(max_length=100)
    date_from = fields.Date(metadata={"description": "Claims made on or after this date."})
    date_to = fields.Date(metadata={"description": "Claims made on or before this date."})
    updated_since = UtcDateTime(metadata={"description": "Claims changed at or after this time."})


class ClaimReadArgsSchema(Schema):
    as_of = UtcDateTime(metadata={"description": "Show the claim exactly as it stood at this moment."})


class ProvenanceSourceSchema(Schema):
    id = Id(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True, allow_none=True)
    publisher = fields.String(required=True, allow_none=True)
    published_date = fields.Date(required=True, allow_none=True)
    language = fields.String(required=True)
    sha256 = fields.String(required=True)


class AnchorCheckSchema(Schema):
    source_text_intact = fields.Boolean(required=True, metadata={"description": "The text still hashes to sha256."})
    quote_matches = fields.Boolean(required=True, metadata={"description": "text[start:end] is still the quote."})
    context_matches = fields.Boolean(required=True, metadata={"description": "Prefix and suffix still surround it."})
    verified = fields.Boolean(required=True)


class ProvenanceLinkSchema(Schema):
    appearance = fields.Nested(AppearanceSchema, required=True)
    sentence = fields.Nested(SentenceSchema, required=True)
    source = fields.Nested(ProvenanceSourceSchema, required=True)
    check = fields.Nested(AnchorCheckSchema, required=True)


class ProvenanceSchema(Schema):
    claim = fields.Nested(ClaimSchema, required=True)
    appearances = fields.List(fields.Nested(ProvenanceLinkSchema), required=True)
    verified = fields.Boolean(required=True, metadata={"description": "Every appearance checks out."})


ClaimPageSchema = page_of(ClaimSchema, "ClaimPage")
