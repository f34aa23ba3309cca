"""API keys' queries."""
from ..errors import NotFound
from ..rules.keys import key_hash, represent
from .models import ApiKey
from .paging import page


def authenticate(secret):
    """The live key for this secret, or None."""
    key = ApiKey.get_or_none(ApiKey.key_hash == key_hash(secret))
    return key if key is not None and key.revoked_at is None else None


def list_keys(*, limit, cursor=None):
    rows, next_cursor = page(ApiKey.select(), ApiKey.id, limit, cursor)
    return [represent(k) for k in rows], next_cursor


def key_row(uid):
    key = ApiKey.get_or_none(ApiKey.uid == uid)
    if key is None:
        raise NotFound(f"no API key with id {uid}")
    return key
