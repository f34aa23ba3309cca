"""The NDJSON line of bulk export and import: one claim with all it needs, read and written by one schema.

Each part extends the schema that creates that resource over the API, adding what an export keeps
(ids, times, versions). Times and versions may be left out of a line that is imported; ids may not.
"""
import json
from dataclasses import replace

from marshmallow import Schema, ValidationError, fields, validate

from service.errors import flatten

from .claims import AppearanceSchema, Tag
from .fields import MAX_STORED_INT, MAX_VERSION, Id, StoredInteger, Text, UtcDateTime
from .reviews import ReviewCreateSchema
from .sources import SourceCreateSchema
from .speakers import SpeakerCreateSchema

NDJSON = "application/x-ndjson"


class Spans(fields.List):
    """A source's sentences as [[start, end], ...]. Plain pairs of whole numbers in range pass in one look;
    anything else goes to marshmallow's own check of each number, which then decides and words the error
    (a source carries thousands of sentences, and every import line carries its sources)."""

    def __init__(self, **kwargs):
        super().__init__(fields.List(StoredInteger(minimum=-MAX_STORED_INT), validate=validate.Length(equal=2)),
                         **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if type(value) is list and all(
                type(span) is list and len(span) == 2 and type(span[0]) is int and type(span[1]) is int
                and -MAX_STORED_INT <= span[0] <= MAX_STORED_INT and -MAX_STORED_INT <= span[1] <= MAX_STORED_INT
                for span in value):
            spans = [list(span) for span in value]
            for check in self.validators:  # the field's own (how many sentences), as marshmallow would run them
                check(spans)
            return spans
        return super().deserialize(value, attr, data, **kwargs)


class LineSourceSchema(SourceCreateSchema):
    id = Id(required=True)
    sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$"),
                           metadata={"description": "SHA-256 of the text; checked when given."})
    created_at = UtcDateTime()
    sentences = Spans(
        required=True, validate=validate.Length(min=1, max=1_000_000),
        metadata={"description": "Each sentence as [start, end): offsets into the text, in order."},
    )


class LineSpeakerSchema(SpeakerCreateSchema):
    id = Id(required=True)
    version = StoredInteger(minimum=1, maximum=MAX_VERSION)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class LineAppearanceSchema(AppearanceSchema):
    created_at = UtcDateTime()


class LineReviewSchema(ReviewCreateSchema):
    id = Id(required=True)
    status = Text(required=True, min_length=1, max_length=32,
                  metadata={"description": "The status the review moved the claim to."})
    reviewer = Text(required=True, min_length=1, max_length=300)
    created_at = UtcDateTime()


class ClaimLineSchema(Schema):
    """One claim a line: its speaker, appearances, reviews, and every source they point into, text and all."""

    id = Id(required=True)
    external_id = Text(
        min_length=1, max_length=200,
        metadata={"description": "The claim's stable identity; import matches on it. Default: the id."},
    )
    text = Text(required=True, min_length=1, max_length=2000)
    claim_date = fields.Date(allow_none=True)
    status = Text(required=True, min_length=1, max_length=32)
    tags = fields.List(Tag, load_default=list, validate=validate.Length(max=50))
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    version = StoredInteger(minimum=1, maximum=MAX_VERSION,
                             metadata={"description": "Needed to update a stored claim: it must be newer."})
    speaker = fields.Nested(LineSpeakerSchema, required=True, allow_none=True)
    appearances = fields.List(fields.Nested(LineAppearanceSchema), required=True,
                              validate=validate.Length(min=1, max=1000))
    reviews = fields.List(fields.Nested(LineReviewSchema), load_default=list, validate=validate.Length(max=1000))
    sources = fields.List(fields.Nested(LineSourceSchema), required=True, validate=validate.Length(min=1, max=1000))


class RejectedLineSchema(Schema):
    line = fields.Integer(required=True, metadata={"description": "Line number in the body, from 1."})
    reason = fields.String(required=True)


class ImportReportSchema(Schema):
    lines = fields.Integer(required=True, metadata={"description": "Lines read (blank lines are skipped)."})
    created = fields.Integer(required=True, metadata={"description": "Lines whose claim was new."})
    updated = fields.Integer(required=True, metadata={"description": "Lines that changed stored data."})
    unchanged = fields.Integer(required=True, metadata={"description": "Lines already stored as given."})
    rejected = fields.Integer(required=True)
    rejected_lines = fields.List(fields.Nested(RejectedLineSchema), required=True,
                                 metadata={"description": "Why each line was rejected (the first 1000)."})


def loaded(records):
    """Records of an import (service/rules/lines.py's Record) with each line's data loaded by ClaimLineSchema,
    or the reason it could not be: what the import takes, from the HTTP edge and the command line alike."""
    schema = ClaimLineSchema()
    for record in records:
        if record.error is None:
            try:
                record = replace(record, data=schema.load(record.data))
            except ValidationError as bad:
                reason = "; ".join(f"{f}: {m}" if f else m for f, m in flatten(bad.messages))
                record = replace(record, data=None, error=reason)
        yield record


def dumped(lines):
    """Export lines (service/store/lines.py) as NDJSON text, one a line."""
    schema = ClaimLineSchema()
    for line in lines:
        yield json.dumps(schema.dump(line), ensure_ascii=False, separators=(",", ":")) + "\n"
