from marshmallow import Schema, fields, validate

from service.rules.segmenting import SUPPORTED_LANGUAGES

from .common import PageArgsSchema, page_of
from .fields import Id, Text, UtcDateTime


class SourceCreateSchema(Schema):
    title = Text(required=True, min_length=1, max_length=500)
    text = Text(
        required=True, min_length=1, max_length=1_000_000,
        metadata={"description": "The full text exactly as published; stored verbatim and never edited."},
    )
    url = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=2000))
    publisher = Text(allow_none=True, max_length=300)
    published_date = fields.Date(allow_none=True)
    language = fields.String(
        load_default="en", validate=validate.OneOf(SUPPORTED_LANGUAGES),
        metadata={"description": "ISO 639-1 code; decides the sentence-splitting rules."},
    )


class SourceSummarySchema(Schema):
    id = Id(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True, allow_none=True)
    publisher = fields.String(required=True, allow_none=True)
    published_date = fields.Date(required=True, allow_none=True)
    language = fields.String(required=True)
    sha256 = fields.String(required=True, metadata={"description": "SHA-256 of the UTF-8 text, hex."})
    sentence_count = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class SourceSchema(SourceSummarySchema):
    text = fields.String(required=True)


class SentenceSchema(Schema):
    index = fields.Integer(required=True)
    start = fields.Integer(required=True, metadata={"description": "Offset of the first character in the source text."})
    end = fields.Integer(required=True, metadata={"description": "Offset just past the last character (exclusive)."})
    text = fields.String(required=True)


class SourceListArgsSchema(PageArgsSchema):
    publisher = Text(max_length=300)


SourcePageSchema = page_of(SourceSummarySchema, "SourcePage")
SentencePageSchema = page_of(SentenceSchema, "SentencePage")
