"""Who is calling: `Authorization: Bearer <key>` names a key, its role and its owner (the audit actor)."""
from flask import current_app, g, request

from service.rules.keys import role_allows
from service.store.keys import authenticate
from service.errors import Forbidden, Unauthorized

from .conventions import view_handler

BEARER = {"WWW-Authenticate": 'Bearer realm="claimtrail"'}
# Reachable without a key even when reads need one: the API description. (Health, readiness and
# metrics never get here: they skip the database and the caller check, see service/app.py.)
PUBLIC_BLUEPRINTS = {"api-docs"}


def identify_caller():
    """Runs before every request: a key that is sent must be valid; reads may need one by configuration."""
    g.actor, g.role, g.key_id = None, None, None
    header = request.headers.get("Authorization")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("send the key as Authorization: Bearer <key>", headers=BEARER)
        key = authenticate(secret.strip())
        if key is None:
            raise Unauthorized("this API key is unknown or revoked", headers=BEARER)
        g.key_id, g.actor, g.role = key
    config = current_app.extensions["claimtrail"]
    if config.read_requires_key and g.role is None and request.blueprint not in PUBLIC_BLUEPRINTS:
        raise Unauthorized("this service needs an API key for every request", headers=BEARER)


def hidden_resource_types():
    """Audit events a caller may not see: those of API keys (who holds one, with what role) but to admins."""
    return () if g.role is not None and role_allows(g.role, "admin") else ("api_key",)


def caller_still_allowed():
    """A check that this request's key is still valid with its role, for a long write to ask between
    batches (a key revoked meanwhile stops it). Reads the key again each time it is called."""
    secret = request.headers.get("Authorization", "").partition(" ")[2].strip()
    role = getattr(view_handler(), "required_role", None)

    def allowed():
        key = authenticate(secret) if secret else None
        if key is None:
            return False
        _, _, key_role = key
        return role is None or role_allows(key_role, role)

    return allowed


def requires(blp, role):
    """Only keys of `role` or above may call the view; documented as bearer-secured with 401 and 403.

    The check itself is `authorize`, run before the body is looked at, so a caller without the right
    key hears that first (not, say, that its body is of the wrong type).
    """

    def decorate(view):
        view.required_role = role
        view = blp.doc(security=[{"bearerAuth": []}])(view)
        view = blp.alt_response(401, response="UNAUTHORIZED")(view)
        return blp.alt_response(403, response="FORBIDDEN")(view)

    return decorate


def authorize():
    """Runs before every request that reaches a view: the caller's key must have the view's role."""
    role = getattr(view_handler(), "required_role", None)
    if role is None:
        return
    if g.role is None:
        raise Unauthorized(f"this needs an API key with the {role} role or above", headers=BEARER)
    if not role_allows(g.role, role):
        raise Forbidden(f"this needs the {role} role or above; your key is {g.role}")
