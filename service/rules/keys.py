"""API keys with roles. A key is shown once, when made; the database keeps only its SHA-256.

Keys are long random strings, so a plain SHA-256 is enough to make the stored value useless to a
thief (a slow password hash protects guessable secrets, which these are not).
"""
import hashlib
import secrets

ROLES = ("reader", "checker", "editor", "admin")  # each may do what the ones before it may


def role_allows(role, needed):
    return ROLES.index(role) >= ROLES.index(needed)


def key_hash(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def represent(key):
    return {
        "id": key.uid,
        "owner": key.owner,
        "role": key.role,
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
    }


def new_secret():
    return "ct_" + secrets.token_urlsafe(32)
