from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.rules.candidates import REJECTION_REASONS, STATUSES
from service.rules.speakers import KINDS

from .claims import ClaimCreatedSchema, LikelyDuplicateSchema, Tag, TextPositionSelectorSchema, TextQuoteSelectorSchema
from .common import PageArgsSchema, page_of
from .fields import Id, Text, UtcDateTime
from .sources import SourceSchema

HOW = ("named", "role", "pronoun", "stored", "publisher")
KIND_OF_STATEMENT = ("reported", "direct", "continued", "verb_phrase", "according", "narrated")


class CandidateSpeakerSchema(Schema):
    name = fields.String(required=True, allow_none=True,
                         metadata={"description": "Null when a pronoun had no clear antecedent: name the speaker "
                                                  "when accepting."})
    id = Id(required=True, allow_none=True, metadata={"description": "The stored speaker it was matched to, if any."})
    role = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    how = fields.String(
        required=True, validate=validate.OneOf(HOW),
        metadata={"description": "named (a name in the text), role (an office the source gave a named person), "
                                 "pronoun (or a quotation continued), stored (a stored speaker's role or alias), "
                                 "publisher (the article's own voice)."})
    confidence = fields.Float(required=True, metadata={"description": "0 to 1."})


class CheckWorthinessSchema(Schema):
    score = fields.Float(required=True, metadata={"description": "0 to 1: how much the statement gives to check."})
    signals = fields.Dict(keys=fields.String(), required=True,
                          metadata={"description": "What the score rests on: figures, names, dates, comparison, "
                                                   "hedged and opinion wording, length."})


class RejectionSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(REJECTION_REASONS))
    note = fields.String(required=True, allow_none=True)
    duplicate_of = Id(required=True, allow_none=True, metadata={"description": "The claim it repeats."})


class CandidateSchema(Schema):
    id = Id(required=True)
    source_id = Id(required=True)
    sentence_index = fields.Integer(required=True)
    text = fields.String(required=True, metadata={"description": "The statement in plain words, attributed."})
    speaker = fields.Nested(CandidateSpeakerSchema, required=True)
    quote_selector = fields.Nested(TextQuoteSelectorSchema, required=True)
    position_selector = fields.Nested(TextPositionSelectorSchema, required=True)
    check_worthiness = fields.Nested(CheckWorthinessSchema, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KIND_OF_STATEMENT),
                         metadata={"description": "Which rule found it: reported or direct speech, a quotation "
                                                  "continued, a verb phrase, 'according to', or narrated."})
    likely_duplicates = fields.List(
        fields.Nested(LikelyDuplicateSchema), required=True,
        metadata={"description": "Stored claims it probably repeats, found when it was proposed, best first."})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    rejection = fields.Nested(RejectionSchema, required=True, allow_none=True)
    claim_id = Id(required=True, allow_none=True, metadata={"description": "The claim made when it was accepted."})
    version = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class CandidateFilterArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    min_check_worthiness = fields.Float(validate=validate.Range(min=0, max=1),
                                        metadata={"description": "Only candidates scoring at least this."})


class CandidateListArgsSchema(CandidateFilterArgsSchema):
    source_id = Id()


class ExtractionRequestSchema(Schema):
    """An empty JSON object: every POST here carries a JSON body, and running extraction needs no settings."""


class ExtractionSchema(Schema):
    source_id = Id(required=True)
    proposed = fields.Integer(required=True, metadata={"description": "Candidates stored by this run."})
    already_present = fields.Integer(
        required=True, metadata={"description": "Candidates proposed again that an earlier run had stored; "
                                                "they are left as they are, accepted, rejected or not."})


class QuoteBoundsSchema(Schema):
    start = fields.Integer(required=True, strict=True, validate=validate.Range(min=0),
                           metadata={"description": "Offset into the source text; inside the candidate's sentence."})
    end = fields.Integer(required=True, strict=True, validate=validate.Range(min=1),
                         metadata={"description": "Offset just past the quote (exclusive); inside the sentence."})


class AcceptanceSchema(Schema):
    text = Text(min_length=1, max_length=2000, metadata={"description": "The claim's text, if not the proposal's."})
    speaker_id = Id(allow_none=True, metadata={"description": "A stored speaker instead of the proposed one; "
                                                             "null for none."})
    speaker_name = Text(min_length=1, max_length=300,
                        metadata={"description": "A speaker by name: the stored one of that name, else a new one."})
    quote = fields.Nested(QuoteBoundsSchema, metadata={"description": "Other bounds for the quote."})
    claim_date = fields.Date(allow_none=True)
    tags = fields.List(Tag, load_default=list, validate=validate.Length(max=50))
    reason = Text(max_length=2000, metadata={"description": "Why, kept in the audit history."})

    @validates_schema
    def one_speaker(self, data, **kwargs):
        if "speaker_id" in data and "speaker_name" in data:
            raise ValidationError("Give speaker_id or speaker_name, not both.", "_schema")


class AcceptedSchema(Schema):
    candidate = fields.Nested(CandidateSchema, required=True)
    claim = fields.Nested(ClaimCreatedSchema, required=True)


class RejectionInputSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(REJECTION_REASONS))
    note = Text(max_length=2000, metadata={"description": "Anything more, kept in the audit history."})
    duplicate_of = Id(metadata={"description": "With reason duplicate: the claim it repeats."})


class SourceStoreArgsSchema(Schema):
    extract = fields.Boolean(metadata={"description": (
        "true: propose candidate claims in this request once the source is stored, whatever its length (422 "
        "for a language extraction does not support); false: do not. Unset: proposed for a source in a "
        "supported language of up to EXTRACT_ON_STORE_CHARS characters (20,000 unless configured); a "
        "longer one is left for POST /sources/{source_id}/candidates.")})


class SourceCreatedSchema(SourceSchema):
    extraction = fields.Nested(ExtractionSchema, required=True, allow_none=True, metadata={
        "description": "What extraction proposed in this request; null when it did not run (see `extract`)."})


CandidatePageSchema = page_of(CandidateSchema, "CandidatePage")
