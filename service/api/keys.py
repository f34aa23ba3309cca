from flask.views import MethodView

from schemas.common import PageArgsSchema
from schemas.keys import CreatedKeySchema, KeyCreateSchema, KeyPageSchema, KeyRevokeSchema, KeySchema
from service.actions.keys import create_key, revoke_key
from service.store.keys import list_keys

from . import Blueprint
from .auth import requires
from .conventions import paged, write_context

blp = Blueprint("keys", __name__, url_prefix="/keys", description="API keys and their roles (admin only)")


@blp.route("")
class Keys(MethodView):
    @requires(blp, "admin")
    @blp.doc(operationId="listKeys")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, KeyPageSchema)
    def get(self, args):
        """List keys (never their secrets).

        Needs an admin key. A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*list_keys(**args))

    @requires(blp, "admin")
    @blp.doc(operationId="createKey")
    @blp.arguments(KeyCreateSchema)
    @blp.response(201, CreatedKeySchema)
    def post(self, data):
        """Make a key. Its secret is in this response only; the service keeps just a hash.

        Needs an admin key. The secret goes in `Authorization: Bearer <key>`.
        """
        record, secret = create_key(write_context(), **data)
        return {**record, "key": secret}


@blp.route("/<uuid:key_id>/revocation")
class KeyRevocation(MethodView):
    @requires(blp, "admin")
    @blp.doc(operationId="revokeKey")
    @blp.arguments(KeyRevokeSchema)
    @blp.response(200, KeySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, key_id):
        """Revoke a key; it stops working at once and stays listed.

        Needs an admin key. A request that sends the revoked key is 401 from then on.
        """
        return revoke_key(write_context(), str(key_id), **data)
