"""Keyset pagination: the cursor remembers the last row's key, so every page costs the same.

Cursors are opaque to clients (base64 of a small JSON document) and checked on the way back in.
"""
import base64
import binascii
import json

from .errors import Invalid

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(key):
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        key = None
    if not isinstance(key, int) or isinstance(key, bool) or not 0 <= key < 2**63:
        raise Invalid("the cursor is not one this service gave out", errors={"cursor": ["invalid cursor"]},
                      location="query")
    return key


def page(query, key_field, limit=DEFAULT_LIMIT, cursor=None):
    """One page of `query` in ascending `key_field` order: (rows, next_cursor or None)."""
    if cursor:
        query = query.where(key_field > decode_cursor(cursor))
    rows = list(query.order_by(key_field).limit(limit + 1))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(getattr(rows[-1], key_field.name))
