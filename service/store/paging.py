"""Keyset pagination: the cursor remembers the last row's key, so every page costs the same.

Cursors are opaque to clients (base64 of a small JSON document) and checked on the way back in.
"""
import base64
import binascii
import json

from ..errors import Invalid

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(key):
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _is_row_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63


def _is_rank_and_id(value):
    # a search's rank is a small whole number (see search._search)
    return isinstance(value, list) and len(value) == 2 and _is_row_id(value[0]) and _is_row_id(value[1])


def decode_cursor(cursor, valid=_is_row_id):
    """The key a cursor holds (a row id unless `valid` says otherwise), refusing any other."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeError, RecursionError):
        key = None
    if not valid(key):
        raise Invalid("the cursor is not one this service gave out", errors={"cursor": ["invalid cursor"]},
                      location="query")
    return key


def decode_rank_cursor(cursor):
    return decode_cursor(cursor, valid=_is_rank_and_id)


def keyset(query, key_field, key, limit):
    """`query` past `key` (None: from the start), the first `limit` rows in ascending `key_field` order."""
    if key is not None:
        query = query.where(key_field > key)
    return query.order_by(key_field).limit(limit)


def after(query, key_field, key, limit):
    """The rows of `keyset`: every page, every feed and every export reads its rows this way."""
    return list(keyset(query, key_field, key, limit))


def page(query, key_field, limit=DEFAULT_LIMIT, cursor=None, key_of=None, rows_after=None):
    """One page of `query`: (rows, next_cursor or None). `key_of(row)` gives a row's key, by default
    its `key_field` attribute (tuple rows name their own); `rows_after(key, count)`, when given, reads the
    rows in place of `after` (a prepared query's)."""
    rows_after = rows_after or (lambda key, count: after(query, key_field, key, count))
    rows = rows_after(decode_cursor(cursor) if cursor else None, limit + 1)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(key_of(rows[-1]) if key_of else getattr(rows[-1], key_field.name))


def in_pages(query, key_field, size):
    """All rows of `query` in ascending `key_field` order, a page of `size` at a time (lists), so that
    memory stays flat however many there are."""
    key = None
    while rows := after(query, key_field, key, size):
        yield rows
        key = getattr(rows[-1], key_field.name)
