"""The HTTP edge: flask-smorest Api and blueprints, one module per resource."""
import http

import flask_smorest
from apispec import BasePlugin
from flask_smorest.utils import prepare_response

from schemas.common import ProblemSchema

from .problems import PROBLEM_CONTENT_TYPE, JsonParser, handle_http_exception


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonParser()

    def arguments(self, schema, **kwargs):
        # One instance, made here: given a class, webargs makes a new instance on every request.
        return super().arguments(schema() if isinstance(schema, type) else schema, **kwargs)


_ANY_OBJECT_OR_NULL = {"type": "object", "nullable": True}


def nullable_reference(converter, field, ret):
    """A nullable nested schema as `nullable` with `allOf: [$ref]`. apispec writes `anyOf` with a bare nullable
    object, which lets any object through and gives generated clients a stray untyped model."""
    if _ANY_OBJECT_OR_NULL not in ret.get("anyOf", ()):
        return {}
    # No `type` beside it: given one, openapi-python-client takes the type and drops the null
    # (tests/openapi-lint/redocly.yaml says why its rule asking for one is off).
    return {"nullable": True, "allOf": [s for s in ret.pop("anyOf") if s != _ANY_OBJECT_OR_NULL]}


class KeyResponses(BasePlugin):
    """Every operation that reads a key (all but the probes, documented `security: []`) answers 401 to a key
    that is unknown, revoked or malformed, whatever role it needs: the spec says so on each of them."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if operation.get("security") != [] and 401 not in responses and "401" not in responses:
                responses["401"] = "UNAUTHORIZED"


class Api(flask_smorest.Api):
    """flask-smorest's Api with RFC 9457 problems as the one error format, in the code and in the spec."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, *args, **kwargs):
        super()._init_spec(*args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(nullable_reference)

    def handle_http_exception(self, error):
        return handle_http_exception(error)

    def _register_pagination_header(self):
        """Nothing: pages carry their next cursor in the body and a Link header, not in X-Pagination,
        whose schema would otherwise stand in the spec unused."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                content_type = PROBLEM_CONTENT_TYPE
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def register(app):
    from schemas.bulk import ClaimLineSchema

    from . import audit, bulk, candidates, claimreview, claims, health, keys, metrics, reviews, sources, speakers
    from .conventions import not_modified

    api = Api(app, spec_kwargs={"extra_plugins": [KeyResponses()]})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API key made by an admin or `flask keys create`."}
    )
    api.spec.components.schema("ClaimLine", schema=ClaimLineSchema)  # the line of /export and /import
    for module in (health, metrics, sources, speakers, claims, reviews, candidates, claimreview, bulk, audit, keys):
        api.register_blueprint(module.blp)
    app.after_request(not_modified)
    return api
