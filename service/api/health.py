from flask.views import MethodView

from schemas.common import HealthSchema
from service.store.db import connect_for_request, unwritable_because
from service.errors import Unavailable
from service.store.migrations import pending

from . import Blueprint

blp = Blueprint("health", __name__, description="Liveness and readiness, for load balancers and orchestrators")


@blp.route("/health")
class Health(MethodView):
    @blp.doc(operationId="getHealth", security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is up and answering; the database is not consulted.

        For liveness probes. Needs no key, even when reads do.
        """
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(operationId="getReady", security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Ready for traffic: the database answers, has run every migration and can take writes.

        For readiness probes: 503, saying why, while the database does not answer, lacks a migration, or
        cannot take writes (its disk is full, or the last write failed on its disk).
        Needs no key, even when reads do.
        """
        connect_for_request()
        waiting = pending()
        if waiting:
            raise Unavailable(
                f"the database schema lacks {len(waiting)} migration(s) ({', '.join(waiting)}): "
                "run `flask --app service.app migrate`"
            )
        unwritable = unwritable_because()
        if unwritable:
            raise Unavailable(f"the database cannot take writes: {unwritable}", headers={"Retry-After": "30"})
        return {"status": "ready"}
