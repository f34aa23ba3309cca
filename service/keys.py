"""API keys with roles. A key is shown once, when made; the database keeps only its SHA-256.

Keys are long random strings, so a plain SHA-256 is enough to make the stored value useless to a
thief (a slow password hash protects guessable secrets, which these are not).
"""
import hashlib
import secrets

from . import audit
from .clock import utcnow
from .db import write_transaction
from .errors import NotFound
from .models import ApiKey
from .pagination import page

ROLES = ("reader", "checker", "editor", "admin")  # each may do what the ones before it may


def role_allows(role, needed):
    return ROLES.index(role) >= ROLES.index(needed)


def _hash(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def represent(key):
    return {
        "id": key.uid,
        "owner": key.owner,
        "role": key.role,
        "prefix": key.prefix,
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
    }


def create_key(ctx, *, owner, role):
    """Returns (the key's record, the secret): the secret is never retrievable again."""
    secret = "ct_" + secrets.token_urlsafe(32)
    with write_transaction():
        key = ApiKey.create(owner=owner, role=role, prefix=secret[:10], key_hash=_hash(secret))
        audit.record(ctx, "api_key", key.uid, "create", None, represent(key))
    return represent(key), secret


def authenticate(secret):
    """The live key for this secret, or None."""
    key = ApiKey.get_or_none(ApiKey.key_hash == _hash(secret))
    return key if key is not None and key.revoked_at is None else None


def revoke_key(ctx, uid, *, reason=None):
    with write_transaction():
        key = ApiKey.get_or_none(ApiKey.uid == uid)
        if key is None:
            raise NotFound(f"no API key with id {uid}")
        if key.revoked_at is None:
            before = represent(key)
            key.revoked_at = utcnow()
            key.save()
            audit.record(ctx, "api_key", key.uid, "revoke", before, represent(key), reason)
    return represent(key)


def list_keys(*, limit, cursor=None):
    rows, next_cursor = page(ApiKey.select(), ApiKey.id, limit, cursor)
    return [represent(k) for k in rows], next_cursor
