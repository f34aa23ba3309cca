"""How many claims stand in each status: the review console's queue tabs."""
from marshmallow import Schema, fields


class StatusCountSchema(Schema):
    status = fields.String(required=True, metadata={"description": "unverified, in_review, a verdict id, or retracted."})
    count = fields.Integer(required=True)


class ClaimCountsSchema(Schema):
    items = fields.List(fields.Nested(StatusCountSchema), required=True,
                        metadata={"description": "Every status of the workflow in order, zero counts included."})
    total = fields.Integer(required=True)
