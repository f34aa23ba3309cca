"""Small pieces every resource module uses: request bodies, write context, ETags and If-Match, page envelopes."""
import io
import json
import re
from functools import wraps
from urllib.parse import urlencode

from flask import current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.wsgi import LimitedStream

from schemas.common import IfMatchHeadersSchema, IfNoneMatchHeadersSchema
from service.store.audit import Context
from service.errors import PreconditionRequired, StaleVersion
from service.store.versioning import etag

# Only a strong tag: If-Match uses the strong comparison (RFC 9110 13.1.1), so a weak tag never matches.
_VERSION_TAG = re.compile(r'^"v(\d{1,18})"$')


def accepts(media_type, *, max_bytes=None):
    """Let a view take a body that is not JSON (NDJSON, say); `max_bytes(config)` may raise its size limit
    above MAX_REQUEST_BYTES. `check_body` reads both before the view runs."""

    def decorate(view):
        view.body_media_type, view.body_max_bytes = media_type, max_bytes
        return view

    return decorate


def view_handler():
    """The function that will answer this request (a MethodView's method), for what decorators marked on it."""
    view = current_app.view_functions.get(request.endpoint)
    return getattr(getattr(view, "view_class", None), request.method.lower(), view)


def check_body():
    """A request body is what its view takes: JSON unless the view says otherwise with `accepts`."""
    handler = view_handler()
    media_type = getattr(handler, "body_media_type", None)
    if not (request.mimetype == media_type if media_type else request.is_json):
        raise UnsupportedMediaType(f"send the body as {media_type or 'application/json'}")
    if getattr(handler, "body_max_bytes", None):
        request.max_content_length = handler.body_max_bytes(current_app.extensions["claimtrail"])
    if request.content_length is None and isinstance(request.stream, LimitedStream):
        request.stream = io.BufferedReader(RefuseOverflow(request.stream, request.environ["wsgi.input"]))


class RefuseOverflow(io.RawIOBase):
    """A body without Content-Length (chunked) read up to the size limit. werkzeug stops there without a
    word, so a longer body would be taken cut short: one byte more in the socket makes it 413."""

    def __init__(self, limited, wire):
        self.limited, self.wire = limited, wire

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.limited.is_exhausted:
            if self.wire.read(1):
                raise RequestEntityTooLarge(f"the body is over the limit of {self.limited.limit} bytes")
            return 0
        return self.limited.readinto(buffer)


def write_context():
    return Context(actor=getattr(g, "actor", None) or "anonymous", request_id=getattr(g, "request_id", None),
                   key_id=getattr(g, "key_id", None))


def expected_version():
    """The versions If-Match accepts, for `versioning.check_version`: missing is 428; `*` is None (any current
    version); a list is the set of versions its strong tags name, and one naming none of ours is 412."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("this change needs an If-Match header with the ETag you last read")
    if header == "*":
        return None
    # Our tags hold no comma, so splitting on commas finds each of them; a foreign tag just matches nothing.
    versions = {int(match.group(1)) for match in map(_VERSION_TAG.match, (tag.strip() for tag in header.split(",")))
                if match}
    if not versions:
        raise StaleVersion("If-Match names no current version of this resource (a weak tag W/ never matches)")
    return frozenset(versions)


def not_modified(response):
    """A GET whose If-None-Match names the ETag it would answer with gets 304 and no body. If-None-Match uses
    the weak comparison (RFC 9110 13.1.2), and `*` matches any current representation."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        tag, _ = response.get_etag()
        if tag and request.if_none_match.contains_weak(tag):
            response.status_code = 304  # werkzeug then sends no body and drops the content headers
    return response


def header(blp, schema):
    """A request header documented and checked by its schema, as flask-smorest does every parameter (a
    manual `parameters` list would replace the operation's others); the view's helpers read it themselves."""

    def decorate(view):
        names = {field.attribute or name for name, field in schema().fields.items()}

        @wraps(view)
        def checked(*args, **kwargs):
            return view(*args, **{k: v for k, v in kwargs.items() if k not in names})

        return blp.arguments(schema, location="headers", as_kwargs=True)(checked)

    return decorate


def requires_if_match(blp):
    """Document If-Match and its 412/428 answers on a view that changes an existing resource."""

    def decorate(view):
        view = header(blp, IfMatchHeadersSchema)(view)
        view = blp.alt_response(412, response="PRECONDITION_FAILED")(view)
        return blp.alt_response(428, response="PRECONDITION_REQUIRED")(view)

    return decorate


def answers_not_modified(blp):
    """Document If-None-Match and its 304 on a GET of one resource with an ETag (`not_modified` answers it)."""

    def decorate(view):
        view = header(blp, IfNoneMatchHeadersSchema)(view)
        return blp.alt_response(304, response="NOT_MODIFIED")(view)

    return decorate


def with_etag(representation):
    return representation, {"ETag": etag(representation["version"])}


def stored(resource, status=200):
    """A stored document (service/rules/documents.py) answered as it is, with its version as the ETag."""
    return _json(resource.document, status, {"ETag": etag(resource.version)})


def _json(text, status=200, headers=None):
    return current_app.response_class(text, status=status, headers=headers, mimetype="application/json")


def _next_link(next_cursor, cursor_param):
    """The next page's URL as a Link header. It is relative (RFC 8288 resolves it against the request's):
    a Host header is the client's to choose, not ours to echo."""
    if not next_cursor:
        return {}
    query = request.args.to_dict()
    query[cursor_param] = next_cursor
    return {"Link": f'<{request.path}?{urlencode(query)}>; rel="next"'}


def paged(items, next_cursor, cursor_param="cursor"):
    """The page envelope, and the next page's URL in a Link header as well as in the body."""
    return {"items": items, "next_cursor": next_cursor}, _next_link(next_cursor, cursor_param)


def paged_documents(documents, next_cursor):
    """`paged` for a page of stored documents (JSON texts), which go into the envelope as they are."""
    envelope = f'{{"items":[{",".join(documents)}],"next_cursor":{json.dumps(next_cursor)}}}'
    return _json(envelope, headers=_next_link(next_cursor, "cursor"))
