"""API keys' queries."""
from ..errors import NotFound
from ..rules.keys import key_hash, represent
from .db import Prepared
from .models import ApiKey
from .paging import page


# Asked on every request that sends a key: three text columns, read as they are, no row object made.
_LIVE_BY_HASH = Prepared(lambda slot: ApiKey.select(ApiKey.uid, ApiKey.owner, ApiKey.role).where(
    (ApiKey.key_hash == slot("key_hash", ApiKey.key_hash)) & ApiKey.revoked_at.is_null()))


def authenticate(secret):
    """(uid, owner, role) of the live key for this secret, or None."""
    found = _LIVE_BY_HASH.execute(key_hash=key_hash(secret)).fetchall()
    return found[0] if found else None


def list_keys(*, limit, cursor=None):
    rows, next_cursor = page(ApiKey.select(), ApiKey.id, limit, cursor)
    return [represent(k) for k in rows], next_cursor


def key_row(uid):
    key = ApiKey.get_or_none(ApiKey.uid == uid)
    if key is None:
        raise NotFound(f"no API key with id {uid}")
    return key
