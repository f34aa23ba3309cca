"""Small pieces every resource module uses: write context, ETags and If-Match, page envelopes."""
import re
from urllib.parse import urlencode

from flask import g, request

from service.audit import Context
from service.errors import PreconditionRequired, StaleVersion
from service.versioning import etag

IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag from your last read of this resource; a change is refused if it is stale.",
    "schema": {"type": "string", "minLength": 1},  # an empty If-Match is a missing one: 428
}
_VERSION_TAG = re.compile(r'^(?:W/)?"v(\d{1,18})"$')


def write_context():
    return Context(actor=getattr(g, "actor", None) or "anonymous", request_id=getattr(g, "request_id", None))


def expected_version():
    """The version named by If-Match: missing is 428, anything that names no version of ours is 412."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("this change needs an If-Match header with the ETag you last read")
    for tag in header.split(","):
        match = _VERSION_TAG.match(tag.strip())
        if match:
            return int(match.group(1))
    raise StaleVersion("If-Match names no version of this resource")


def requires_if_match(blp):
    """Document If-Match and its 412/428 answers on a view that changes an existing resource."""

    def decorate(view):
        view = blp.doc(parameters=[IF_MATCH_PARAMETER])(view)
        view = blp.alt_response(412, response="PRECONDITION_FAILED")(view)
        return blp.alt_response(428, response="PRECONDITION_REQUIRED")(view)

    return decorate


def with_etag(representation):
    return representation, {"ETag": etag(representation["version"])}


def paged(items, next_cursor, cursor_param="cursor"):
    """The page envelope, and the next page's URL in a Link header as well as in the body."""
    headers = {}
    if next_cursor:
        query = request.args.to_dict()
        query[cursor_param] = next_cursor
        headers["Link"] = f'<{request.base_url}?{urlencode(query)}>; rel="next"'
    return {"items": items, "next_cursor": next_cursor}, headers
