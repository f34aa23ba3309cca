"""The stack's own ceiling: Flask under the same gunicorn settings as the service, answering each
benchmarked request with a JSON document held in memory, the one the service gave for it (so the
same size and shape), serialised per request as the service serialises its answers.

    BARE_DOCUMENTS=documents.json gunicorn --config gunicorn.conf.py 'benchmarks.bare_app:create_app()'
"""
import json
import os
from pathlib import Path

from flask import Flask, request


def create_app():
    documents = json.loads(Path(os.environ["BARE_DOCUMENTS"]).read_text())
    app = Flask(__name__)
    app.json.sort_keys = False

    @app.get("/claims/<claim_id>")
    def get_claim(claim_id):
        return documents["get"]

    @app.get("/claims")
    def list_claims():
        return documents["search" if "q" in request.args else "list"]

    @app.post("/claims/<claim_id>/reviews")
    def review(claim_id):
        return documents["status"], 201

    return app
