"""Claimtrail: claim provenance and fact tracking. `create_app` is the WSGI entry point."""
import re
import uuid

from flask import Flask, g, request

from . import workflow
from .config import Config
from .db import database, open_database

BODY_METHODS = ("POST", "PUT", "PATCH")
_REQUEST_ID = re.compile(r"^[\w.:@/+=-]{1,200}$")


def create_app(config=None):
    config = config or Config()
    app = Flask(__name__)
    app.config.update(config.flask_settings())
    app.json.sort_keys = False  # keep the schemas' field order in responses
    app.extensions["claimtrail"] = config
    database.initialize(open_database(config.database_url, config.db_pool_size))
    workflow.use_scale(workflow.load_scale(config.verdict_scale_file) if config.verdict_scale_file
                       else workflow.DEFAULT_SCALE)

    @app.before_request
    def open_request():
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        if request.method in BODY_METHODS:
            check_body()
        database.connect(reuse_if_open=True)
        identify_caller()

    @app.after_request
    def echo_request_id(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def close_database(exc):
        if not database.is_closed():
            database.close()

    from .api import register
    from .api.auth import identify_caller
    from .api.conventions import check_body
    from .api.problems import handle_domain_error, handle_http_exception
    from .cli import register_commands
    from .errors import DomainError

    app.extensions["claimtrail_api"] = register(app)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_http_exception)
    register_commands(app)
    return app
