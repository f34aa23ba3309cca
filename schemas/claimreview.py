"""schema.org ClaimReview as JSON-LD. Keys such as @type are JSON-LD's; each field names its key twice
(attribute and data_key) because the rule module hands out the JSON-LD keys themselves."""
from marshmallow import Schema, fields


def _key(name, **kwargs):
    return fields.String(attribute=name, data_key=name, **kwargs)


class OrganizationSchema(Schema):
    type = _key("@type", required=True, metadata={"description": "Organization"})
    name = fields.String(required=True)
    url = fields.String()


class ClaimAuthorSchema(Schema):
    type = _key("@type", required=True, metadata={"description": "Person or Organization"})
    name = fields.String(required=True)
    jobTitle = fields.String(metadata={"description": "A person's role, when known."})


class CreativeWorkSchema(Schema):
    type = _key("@type", required=True, metadata={"description": "CreativeWork"})
    url = fields.String(required=True, metadata={"description": "The source's URL, else its stored copy here."})
    name = fields.String(required=True, metadata={"description": "The source's title."})
    datePublished = fields.String(metadata={"description": "ISO 8601 date."})
    publisher = fields.Nested(OrganizationSchema)


class ReviewedClaimSchema(Schema):
    type = _key("@type", required=True, metadata={"description": "Claim"})
    author = fields.Nested(ClaimAuthorSchema, metadata={"description": "The claim's speaker."})
    datePublished = fields.String(metadata={"description": "When the claim was made (ISO 8601), when known."})
    appearance = fields.List(fields.Nested(CreativeWorkSchema), required=True)
    firstAppearance = fields.Nested(CreativeWorkSchema, metadata={"description": "The earliest-published one."})


class RatingSchema(Schema):
    type = _key("@type", required=True, metadata={"description": "Rating"})
    alternateName = fields.String(required=True, metadata={"description": "The verdict in words."})
    ratingValue = fields.Integer(metadata={"description": "Left out for a verdict off the numeric scale."})
    bestRating = fields.Integer()
    worstRating = fields.Integer()


class ClaimReviewElementSchema(Schema):
    type = _key("@type", required=True, metadata={"description": "ClaimReview"})
    url = fields.String(required=True, metadata={"description": "The claim's page under PUBLIC_BASE_URL."})
    claimReviewed = fields.String(required=True)
    datePublished = fields.String(required=True, metadata={"description": "The date of the verdict (ISO 8601)."})
    author = fields.Nested(OrganizationSchema, required=True, metadata={"description": "The publisher."})
    reviewRating = fields.Nested(RatingSchema, required=True)
    itemReviewed = fields.Nested(ReviewedClaimSchema, required=True)


class ClaimReviewSchema(ClaimReviewElementSchema):
    context = _key("@context", required=True, metadata={"description": "https://schema.org"})


class ClaimReviewFeedSchema(Schema):
    context = _key("@context", required=True, metadata={"description": "https://schema.org"})
    type = _key("@type", required=True, metadata={"description": "DataFeed"})
    dataFeedElement = fields.List(fields.Nested(ClaimReviewElementSchema), required=True)
