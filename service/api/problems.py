"""Every error leaves the service as an RFC 9457 problem: one JSON shape, never an HTML page."""
import json
import logging

from flask import g, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed
from webargs.flaskparser import FlaskParser

from service.errors import PreconditionRequired, flatten
from service.store.db import database_fault

PROBLEM_CONTENT_TYPE = "application/problem+json"
LOCATIONS = {"json": "body", "query": "query", "querystring": "query", "headers": "headers", "view_args": "path"}
log = logging.getLogger(__name__)


def field_errors(messages_by_location):
    rows = []
    for location, messages in messages_by_location.items():
        rows.extend({"location": LOCATIONS.get(location, location), "field": field, "message": message}
                    for field, message in flatten(messages))
    return rows


def problem(status, title, detail, *, kind, errors=None, headers=None):
    body = {"type": kind, "title": title, "status": status, "detail": detail, "instance": request.path}
    if getattr(g, "request_id", None):
        body["request_id"] = g.request_id
    if errors:
        body["errors"] = errors
    response_headers = {"Content-Type": PROBLEM_CONTENT_TYPE, **(headers or {})}
    return json.dumps(body), status, response_headers


def _slug(title):
    return "urn:claimtrail:problem:" + "-".join(title.lower().split())


def handle_domain_error(error):
    errors = [dict(row, location=error.location) for row in field_errors({"": error.errors})] if error.errors else None
    return problem(error.status, error.title, error.detail, kind=_slug(error.title), errors=errors,
                   headers=error.headers)


def handle_http_exception(error):
    fault = database_fault(error)
    if fault is not None:  # the database, not the request, is at fault: say so, and when to try again
        log.warning("database fault: %s", error)
        return handle_domain_error(fault)
    if not isinstance(error, HTTPException):  # anything unforeseen: log it, show nothing of it
        log.exception("unhandled error", exc_info=error)
        error = InternalServerError()
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    errors = field_errors(messages) if isinstance(messages, dict) else None
    headers = dict(data.get("headers") or {})
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    detail = data.get("message") or error.description or error.name
    if errors and error.code == 422:
        detail = "The request did not validate: see errors."
    elif errors and error.code == 400:
        detail = "The request body is not valid JSON."
    # The same urn: type as a domain error of that status (werkzeug's "Not Found" and ours "Not found" are one
    # kind), so a client tells problems apart by type alone, whichever layer raised them.
    return problem(error.code, error.name, detail, kind=_slug(error.name), errors=errors, headers=headers)


class JsonParser(FlaskParser):
    """webargs' parser, also refusing JSON that is too deep or has absurd numbers (400, not 500)."""

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        # a missing or empty If-Match is a precondition not sent (RFC 6585): 428, as the views answer it
        if list(error.messages) == ["headers"] and list(error.messages["headers"]) == ["If-Match"]:
            raise PreconditionRequired("this change needs an If-Match header with the ETag you last read")
        super().handle_error(error, req, schema, error_status_code=error_status_code, error_headers=error_headers)

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as exc:
            return self._handle_invalid_json_error(exc, req)
