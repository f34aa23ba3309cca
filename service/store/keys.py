"""API keys' queries."""
from ..errors import NotFound
from ..rules.keys import key_hash, represent
from .db import Prepared
from .models import ApiKey
from .paging import page


_BY_HASH = Prepared(lambda slot: ApiKey.select().where(ApiKey.key_hash == slot("key_hash", ApiKey.key_hash)))


def authenticate(secret):
    """The live key for this secret, or None."""
    found = _BY_HASH.rows(ApiKey, key_hash=key_hash(secret))
    return found[0] if found and found[0].revoked_at is None else None


def list_keys(*, limit, cursor=None):
    rows, next_cursor = page(ApiKey.select(), ApiKey.id, limit, cursor)
    return [represent(k) for k in rows], next_cursor


def key_row(uid):
    key = ApiKey.get_or_none(ApiKey.uid == uid)
    if key is None:
        raise NotFound(f"no API key with id {uid}")
    return key
