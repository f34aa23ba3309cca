from marshmallow import Schema, fields, validate

from service.rules.reviews import STANCES

from .common import page_of
from .fields import Id, Text, UtcDateTime

STANCE = {"description": "How the item bears on the claim: " + ", ".join(STANCES) + "."}


class EvidenceInputSchema(Schema):
    """A URL, or a sentence of a stored source (source_id with sentence_index)."""

    stance = fields.String(required=True, validate=validate.OneOf(STANCES), metadata=STANCE)
    url = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=2000))
    source_id = Id(allow_none=True)
    sentence_index = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0, max=10_000_000))
    note = Text(allow_none=True, max_length=2000)


class ReviewCreateSchema(Schema):
    verdict = Text(
        allow_none=True, min_length=1, max_length=32,
        metadata={"description": "A verdict id from GET /verdicts; leave out to put the claim in review."},
    )
    rationale = Text(allow_none=True, max_length=20_000, metadata={"description": "Required with a verdict and when reopening one."})
    evidence = fields.List(fields.Nested(EvidenceInputSchema), load_default=list, validate=validate.Length(max=100))


class EvidenceSchema(Schema):
    stance = fields.String(required=True, metadata=STANCE)
    url = fields.String(required=True, allow_none=True)
    source_id = Id(required=True, allow_none=True)
    sentence_index = fields.Integer(required=True, allow_none=True)
    note = fields.String(required=True, allow_none=True)


class ReviewSchema(Schema):
    id = Id(required=True)
    claim_id = Id(required=True)
    status = fields.String(required=True, metadata={"description": "The status the review moved the claim to."})
    verdict = fields.String(required=True, allow_none=True)
    rationale = fields.String(required=True, allow_none=True)
    reviewer = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)


class RetractionSchema(Schema):
    reason = Text(required=True, min_length=1, max_length=2000)


class VerdictSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "ClaimReview reviewRating.alternateName."})
    rating_value = fields.Integer(required=True, allow_none=True,
                                  metadata={"description": "ClaimReview reviewRating.ratingValue."})


class VerdictScaleSchema(Schema):
    best_rating = fields.Integer(required=True)
    worst_rating = fields.Integer(required=True)
    verdicts = fields.List(fields.Nested(VerdictSchema), required=True)


ReviewPageSchema = page_of(ReviewSchema, "ReviewPage")
