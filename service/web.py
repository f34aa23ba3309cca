"""Static front ends the service serves beside its API: the review console under /console, and Swagger
UI's own files for /docs, both from this machine so nothing is loaded from the internet.

The console is a client of the public API like any other (service/console/README.md); these views only
hand out files, so they need neither the database nor a key (see OPEN_THEIR_OWN_DATABASE)."""
from pathlib import Path

from flask import Blueprint, redirect, send_from_directory
from swagger_ui_bundle import swagger_ui_path

CONSOLE_DIR = Path(__file__).resolve().parent / "console"
SWAGGER_UI_ASSETS = "/docs/assets/"
# The console may load and call only this origin: a stray reference to another host fails loudly in
# the browser instead of quietly depending on the network.
CONSOLE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

console = Blueprint("console", __name__, url_prefix="/console")
swagger_assets = Blueprint("swagger-ui-assets", __name__, url_prefix=SWAGGER_UI_ASSETS.rstrip("/"))


@console.get("")
def console_root():
    return redirect("/console/", code=308)


@console.get("/")
def console_index():
    return send_from_directory(CONSOLE_DIR, "index.html")


@console.get("/<path:filename>")
def console_file(filename):
    return send_from_directory(CONSOLE_DIR, filename)


@console.after_request
def console_headers(response):
    response.headers["Content-Security-Policy"] = CONSOLE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@swagger_assets.get("/<path:filename>")
def swagger_ui_file(filename):
    return send_from_directory(Path(swagger_ui_path), filename)


def register(app):
    app.register_blueprint(console)
    app.register_blueprint(swagger_assets)
