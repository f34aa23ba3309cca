"""The problem format, page envelopes and paging arguments used by every resource."""
from marshmallow import Schema, fields, validate

from service.store.paging import DEFAULT_LIMIT, MAX_LIMIT

from .fields import Text


class FieldProblemSchema(Schema):
    location = fields.String(
        required=True, metadata={"description": "Where the field is: body, query, headers or path."}
    )
    field = fields.String(required=True, metadata={"description": "Dotted path of the field, e.g. appearance.quote."})
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details, used for every error response."""

    type = fields.String(required=True, metadata={"description": "A URI naming the kind of problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(metadata={"description": "The request path that failed."})
    request_id = fields.String()
    errors = fields.List(fields.Nested(FieldProblemSchema), metadata={"description": "Per-field messages."})


class HealthSchema(Schema):
    status = fields.String(required=True)


class PageArgsSchema(Schema):
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Items per page, 1 to {MAX_LIMIT}."},
    )
    cursor = Text(
        max_length=200,
        metadata={"description": "Opaque cursor from a previous page's next_cursor."},
    )


def page_of(item_schema, name):
    """A page envelope `{"items": [...], "next_cursor": ...}` around `item_schema`, named for the spec."""
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(
                required=True, allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last page."},
            ),
        },
    )
