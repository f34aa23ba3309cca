"""Making and revoking API keys, each with its audit event."""
from ..clock import utcnow
from ..rules.keys import key_hash, new_secret, represent
from ..store import audit
from ..store.db import create, write_transaction
from ..store.keys import key_row
from ..store.models import ApiKey


def create_key(ctx, *, owner, role):
    """Returns (the key's record, the secret): the secret is never retrievable again."""
    secret = new_secret()
    with write_transaction():
        key = create(ApiKey, owner=owner, role=role, key_hash=key_hash(secret))
        audit.record(ctx, "api_key", key.uid, "create", None, represent(key))
    return represent(key), secret


def revoke_key(ctx, uid, *, reason=None):
    with write_transaction():
        key = key_row(uid)
        if key.revoked_at is None:
            before = represent(key)
            key.revoked_at = utcnow()
            key.save()
            audit.record(ctx, "api_key", key.uid, "revoke", before, represent(key), reason)
    return represent(key)
