"""Idempotency keys: the first answer to a create, kept a day, so that a client retrying a request whose
answer it never got (a timeout, a dropped connection, a 500 after the commit) gets that answer again
instead of making the resource twice. The semantics are the IETF httpapi Idempotency-Key draft's, as
Stripe's API has them: per caller, the same key and body replay the answer, another body is refused.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from ..clock import utcnow
from .db import create
from .models import IdempotentRequest

KEPT_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict
    body: str


def fingerprint(method, path, body):
    """What a retry must repeat: the same method and path, and the same JSON body (parsed, so that the
    spacing or key order a client's library happens to write does not count)."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{text}".encode("utf-8")).hexdigest()


def earlier(caller, key):
    """(fingerprint, Answer) of this caller's key, if it was used less than KEPT_FOR ago; else None.
    Read inside the write transaction, so a retry racing its first attempt waits for it."""
    row = IdempotentRequest.get_or_none((IdempotentRequest.caller == caller) & (IdempotentRequest.key == key))
    if row is None or row.created_at < utcnow() - KEPT_FOR:
        return None
    return row.fingerprint, Answer(row.status, json.loads(row.headers), row.body)


def remember(caller, key, fingerprint, answer):
    """Keep the answer, in the transaction of the write it answers; expired keys go at the same time."""
    IdempotentRequest.delete().where(
        (IdempotentRequest.created_at < utcnow() - KEPT_FOR)
        | ((IdempotentRequest.caller == caller) & (IdempotentRequest.key == key))
    ).execute()
    create(IdempotentRequest, caller=caller, key=key, fingerprint=fingerprint, status=answer.status,
           headers=json.dumps(answer.headers), body=answer.body)
