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


class IfMatchHeadersSchema(Schema):
    # Missing or empty is answered 428, not 422 (service/api/problems.py).
    if_match = fields.String(data_key="If-Match", required=True, validate=validate.Length(min=1), metadata={
        "description": "The ETag from your last read of this resource, a list of ETags, or `*` for whatever "
                       "version is current; a change is refused (412) unless one of them is current. Weak tags "
                       "never match."})


class IfNoneMatchHeadersSchema(Schema):
    if_none_match = fields.String(data_key="If-None-Match", metadata={
        "description": "The ETag you hold (or a list of them, or `*`): if it is still current, the answer is 304 "
                       "with no body."})


class IdempotencyHeadersSchema(Schema):
    _MALFORMED = "An Idempotency-Key is 1 to 255 printable ASCII characters."
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        validate=[validate.Length(min=1, max=255, error=_MALFORMED), validate.Regexp(r"^[\x20-\x7e]+$", error=_MALFORMED)],
        metadata={"description": (
            "A value you choose, unique to this create (a UUID, say). Retrying with the same key and body within "
            "24 hours answers the first success again (status, body and ETag, with `Idempotent-Replayed: true`) "
            "and writes nothing; the same key with another body is 422. Keys are per API key. An answer that "
            "was an error is not kept.")})


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
