"""The Idempotency-Key request header on the POSTs that create something.

The view runs inside a write transaction opened here, around the use case's own (which nests in it): the
write, the answer built from it and the key's record of that answer commit together or not at all. A
key recorded in the use case's transaction alone (say, by the audit log) could not hold the answer,
which is made after; one recorded after the commit could be lost with a failure in between, and the retry
would write again. An answer that is an error writes nothing and is not kept: the retry runs afresh.
"""
from functools import wraps

from flask import current_app, g, make_response, request

from schemas.common import IdempotencyHeadersSchema
from service.errors import Invalid
from service.store import idempotency
from service.store.db import write_transaction

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Content-Type", "ETag", "Location")


def _refused(message):
    return Invalid(message, errors={HEADER: [message]}, location="headers")


def idempotent(blp):
    """Let the view's POST be retried safely with an Idempotency-Key header; documented on the operation."""

    def decorate(view):
        @wraps(view)
        def answer(*args, idempotency_key=None, **kwargs):
            key = idempotency_key
            if key is None:
                return view(*args, **kwargs)
            caller = g.key_id
            # the query string is part of what was asked (POST /sources?extract=false)
            sent = idempotency.fingerprint(request.method, request.full_path.rstrip("?"), request.get_json(silent=True))
            with write_transaction():
                found = idempotency.earlier(caller, key)
                if found is not None:
                    first_sent, first_answer = found
                    if first_sent != sent:
                        raise _refused("This Idempotency-Key was used with another request: send a new key.")
                    return _replayed(first_answer)
                response = make_response(view(*args, **kwargs))
                if 200 <= response.status_code < 300:
                    kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
                    idempotency.remember(caller, key, sent, idempotency.Answer(
                        response.status_code, kept, response.get_data(as_text=True)))
            return response

        answer = blp.arguments(IdempotencyHeadersSchema, location="headers", as_kwargs=True)(answer)
        return blp.alt_response(422, response="UNPROCESSABLE_ENTITY")(answer)

    return decorate


def _replayed(answer):
    return current_app.response_class(answer.body, status=answer.status,
                                      headers={**answer.headers, "Idempotent-Replayed": "true"})
