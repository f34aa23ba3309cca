"""The app factory: `create_app` is the WSGI entry point (gunicorn runs `service.app:create_app()`)."""
from flask import Flask, request

from .api import register
from .api.auth import authorize, identify_caller
from .api.conventions import check_body
from .api.observability import observe_requests
from .api.problems import handle_domain_error, handle_http_exception
from .cli import register_commands
from .config import Config
from .errors import DomainError
from .rules import workflow
from .store import checkpoints
from .store.db import connect_for_request, database, open_database, release_after_request
from .web import register as register_web

BODY_METHODS = ("POST", "PUT", "PATCH")
# The probes and /metrics must answer while the database is down: they open it only if they need it.
# The console's and Swagger UI's static files need neither the database nor a key.
OPEN_THEIR_OWN_DATABASE = ("health", "metrics", "console", "swagger-ui-assets")


def create_app(config=None):
    config = config or Config()
    app = Flask(__name__)
    app.config.update(config.flask_settings())
    app.json.sort_keys = False  # keep the schemas' field order in responses
    app.extensions["claimtrail"] = config
    database.initialize(open_database(config.database_url, config.db_pool_size, config.write_lock_wait))
    checkpoints.use(checkpoints.load_signer(config.checkpoint_key, config.checkpoint_key_file),
                    checkpoints.Schedule(config.checkpoint_every_events, config.checkpoint_every_minutes))
    workflow.use_scale(workflow.load_scale(config.verdict_scale_file) if config.verdict_scale_file
                       else workflow.DEFAULT_SCALE)

    observe_requests(app)

    @app.before_request
    def open_request():
        if request.routing_exception is not None:  # 404 or 405 comes next; say that, not 415
            return
        if request.blueprint not in OPEN_THEIR_OWN_DATABASE:
            connect_for_request()
            identify_caller()
            authorize()  # 401/403 before anything about the body
        if request.method in BODY_METHODS:
            check_body()

    @app.teardown_request
    def release_database(exc):
        release_after_request()

    app.extensions["claimtrail_api"] = register(app)
    register_web(app)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_http_exception)
    register_commands(app)
    return app
