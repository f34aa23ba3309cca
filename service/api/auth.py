"""Who is calling: `Authorization: Bearer <key>` names a key, its role and its owner (the audit actor)."""
from functools import wraps

from flask import current_app, g, request

from service import keys
from service.errors import Forbidden, Unauthorized

BEARER = {"WWW-Authenticate": 'Bearer realm="claimtrail"'}
# Reachable without a key even when reads need one: the API description. (Health, readiness and
# metrics never get here: they skip the database and the caller check, see service/__init__.py.)
PUBLIC_BLUEPRINTS = {"api-docs"}


def identify_caller():
    """Runs before every request: a key that is sent must be valid; reads may need one by configuration."""
    g.actor, g.role = None, None
    header = request.headers.get("Authorization")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("send the key as Authorization: Bearer <key>", headers=BEARER)
        key = keys.authenticate(secret.strip())
        if key is None:
            raise Unauthorized("this API key is unknown or revoked", headers=BEARER)
        g.actor, g.role = key.owner, key.role
    config = current_app.extensions["claimtrail"]
    if config.read_requires_key and g.role is None and request.blueprint not in PUBLIC_BLUEPRINTS:
        raise Unauthorized("this service needs an API key for every request", headers=BEARER)


def requires(blp, role):
    """Only keys of `role` or above may call the view; documented as bearer-secured with 401 and 403."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if g.role is None:
                raise Unauthorized(f"this needs an API key with the {role} role or above", headers=BEARER)
            if not keys.role_allows(g.role, role):
                raise Forbidden(f"this needs the {role} role or above; your key is {g.role}")
            return view(*args, **kwargs)

        guarded = blp.doc(security=[{"bearerAuth": []}])(guarded)
        guarded = blp.alt_response(401, response="UNAUTHORIZED")(guarded)
        return blp.alt_response(403, response="FORBIDDEN")(guarded)

    return decorate
