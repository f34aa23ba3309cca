from flask.views import MethodView
from marshmallow import Schema, fields

from . import Blueprint

blp = Blueprint("health", __name__, description="Liveness")


class HealthSchema(Schema):
    status = fields.String(required=True)


@blp.route("/health")
class Health(MethodView):
    @blp.doc(operationId="getHealth")
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is up and answering."""
        return {"status": "ok"}
