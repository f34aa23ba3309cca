"""Every request gets an id (the client's X-Request-ID when sane, else a new one) that is echoed back
and stamped on its log lines and audit events; each answered request is logged and counted."""
import logging
import re
import time
import uuid

from flask import g, request

from service.logs import current_request_id
from service.metrics import observe_request

_REQUEST_ID = re.compile(r"^[\w.:@/+=-]{1,200}$")
log = logging.getLogger("claimtrail.request")


def observe_requests(app):
    """Register the hooks; call before any other before_request hook, so that they all have the id."""

    @app.before_request
    def start():
        g.started = time.perf_counter()
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        current_request_id.set(g.request_id)

    @app.after_request
    def finish(response):
        response.headers["X-Request-ID"] = g.request_id
        seconds, route = time.perf_counter() - g.started, endpoint()
        observe_request(route, request.method, response.status_code, seconds)
        log.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "endpoint": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
        return response

    @app.teardown_request
    def forget(exc):
        current_request_id.set(None)  # the thread's next log lines belong to no request


def endpoint():
    """The route template (e.g. /claims/<uuid:claim_id>), never the raw path: a bounded set of names."""
    return request.url_rule.rule if request.url_rule else "unmatched"
