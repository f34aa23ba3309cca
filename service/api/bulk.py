"""Bulk export and import: every claim as NDJSON, one self-contained claim a line (ClaimLine)."""
import io
import time

from flask import current_app, request, stream_with_context
from flask.views import MethodView

from schemas.bulk import NDJSON, ImportReportSchema, dumped, loaded
from service.actions.importing import import_records
from service.rules.lines import ndjson_records
from service.store.lines import export_lines

from . import Blueprint
from .auth import caller_still_allowed, requires
from .conventions import accepts, write_context

READ_BYTES = 64 * 1024

blp = Blueprint("bulk", __name__, description="Every claim in and out as NDJSON, one claim a line")

LINES = {"type": "string", "format": "binary",
         "description": "NDJSON: one ClaimLine (see components.schemas.ClaimLine) a line."}


@blp.route("/export")
class Export(MethodView):
    @blp.doc(operationId="exportClaims")
    @blp.response(200, LINES, content_type=NDJSON)
    def get(self):
        """Every claim as NDJSON, oldest first; POST /import takes it back.

        Each line has the claim with its speaker, appearances, reviews and the sources they point into
        (full text and sentence offsets). The lines are streamed from one consistent snapshot.
        """
        return current_app.response_class(stream_with_context(dumped(export_lines())), mimetype=NDJSON)


@blp.route("/import")
class Import(MethodView):
    @requires(blp, "editor")
    @blp.doc(operationId="importClaims",
             requestBody={"required": True, "content": {NDJSON: {"schema": LINES}},
                          "description": "Lines as GET /export writes them; read as they arrive."})
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @accepts(NDJSON, max_bytes=lambda config: config.max_import_bytes)
    def post(self):
        """Store the claims of an NDJSON body, matched by external_id: importing twice changes nothing.

        Each line is checked on its own; valid lines are written in batches, and the answer counts them
        and gives the number and reason of each rejected line (the first 1000). The body may be up to
        MAX_IMPORT_BYTES. The key is checked again before each batch: revoked meanwhile, the import stops
        with 401, keeping the batches already written, and the answer says how far it got.
        """
        # werkzeug's stream reads a line one byte at a time: read it in blocks and split lines from those.
        records = loaded(ndjson_records(io.BufferedReader(Yielding(request.stream), READ_BYTES)))
        return import_records(write_context(), records, origin="POST /import", still_allowed=caller_still_allowed())


class Yielding(io.RawIOBase):
    """The body a block at a time, letting the worker's other connections and heartbeat run between blocks:
    under gevent a fast client's body is always ready, so reading it alone would never give way."""

    def __init__(self, stream):
        self.stream = stream

    def readable(self):
        return True

    def readinto(self, buffer):
        time.sleep(0)
        return self.stream.readinto(buffer)
