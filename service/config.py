"""Settings read from the environment, with defaults that work on a fresh clone."""
import os
from dataclasses import dataclass, field


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _bool(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


API_DESCRIPTION = (
    "Claim provenance and fact tracking: claims tied to the exact sentence and quote of their source, their "
    "speakers, a verdict workflow with reviews, ClaimReview publishing and a hash-chained audit log.\n\n"
    "Reads are open unless the service is run with READ_REQUIRES_KEY; writes need "
    "`Authorization: Bearer <key>` with a role high enough. Every claim and speaker has a version, sent as its "
    "ETag: a change must name it in If-Match. Every error is an RFC 9457 problem (application/problem+json)."
)


@dataclass
class Config:
    # An SQLite file under ./data (git-ignored); postgresql:// URLs are the deployment choice.
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL") or "sqlite:///data/claimtrail.db")
    db_pool_size: int = field(default_factory=lambda: _int("DB_POOL_SIZE", 8))
    # Seconds a write waits for the database's write lock (held by another writer or process) before a 503.
    write_lock_wait: float = field(default_factory=lambda: float(os.environ.get("WRITE_LOCK_TIMEOUT") or 5))
    max_request_bytes: int = field(default_factory=lambda: _int("MAX_REQUEST_BYTES", 2 * 1024 * 1024))
    # POST /import streams its body line by line, so it may be far larger than any other request.
    max_import_bytes: int = field(default_factory=lambda: _int("MAX_IMPORT_BYTES", 512 * 1024 * 1024))
    # A source stored through the API with at most this many characters gets its candidate claims proposed in
    # the same request (0: only when asked); a longer parse would hold a worker (and, with an Idempotency-Key,
    # the write lock), so those wait for POST /sources/{id}/candidates or `flask extract`.
    extract_on_store_chars: int = field(default_factory=lambda: _int("EXTRACT_ON_STORE_CHARS", 20_000))
    read_requires_key: bool = field(default_factory=lambda: _bool("READ_REQUIRES_KEY", False))
    # A JSON file replacing the default verdict scale (see service/rules/workflow.py).
    verdict_scale_file: str | None = field(default_factory=lambda: os.environ.get("VERDICT_SCALE_FILE") or None)
    # Where claims are published; ClaimReview URLs are built on it (unset: the URL the request came to).
    public_base_url: str | None = field(default_factory=lambda: os.environ.get("PUBLIC_BASE_URL") or None)
    # Hosts whose name a request may give (Host header) for ClaimReview URLs when PUBLIC_BASE_URL is unset;
    # a request naming any other gets links relative to the site, so no client can choose the host published.
    allowed_hosts: tuple = field(default_factory=lambda: tuple(
        h.strip() for h in (os.environ.get("ALLOWED_HOSTS") or "localhost,127.0.0.1,[::1]").split(",") if h.strip()))
    claimreview_publisher_name: str = field(
        default_factory=lambda: os.environ.get("CLAIMREVIEW_PUBLISHER_NAME") or "Claimtrail")
    claimreview_publisher_url: str | None = field(
        default_factory=lambda: os.environ.get("CLAIMREVIEW_PUBLISHER_URL") or None)

    # The Ed25519 key audit checkpoints are signed with: PEM or the base64 of its seed, or a PEM file; with
    # neither, a file beside the SQLite database, made on first start (PostgreSQL needs one of the two).
    checkpoint_key: str | None = field(default_factory=lambda: os.environ.get("CHECKPOINT_KEY") or None, repr=False)
    checkpoint_key_file: str | None = field(default_factory=lambda: os.environ.get("CHECKPOINT_KEY_FILE") or None)
    # A checkpoint is signed by the write that crosses a multiple of this many events (0: never for that) ...
    checkpoint_every_events: int = field(default_factory=lambda: _int("CHECKPOINT_EVERY_EVENTS", 1000))
    # ... and by the first write once the newest checkpoint is this old (0: never for that).
    checkpoint_every_minutes: int = field(default_factory=lambda: _int("CHECKPOINT_EVERY_MINUTES", 60))

    def flask_settings(self):
        return {
            "MAX_CONTENT_LENGTH": self.max_request_bytes,
            "API_TITLE": "Claimtrail",
            "API_VERSION": "0.1.0",
            "OPENAPI_VERSION": "3.0.3",
            "OPENAPI_URL_PREFIX": "/",
            "OPENAPI_JSON_PATH": "openapi.json",
            "OPENAPI_SWAGGER_UI_PATH": "docs",
            # Swagger UI's files come from the swagger-ui-bundle package, served by service/web.py.
            "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
            # No validator badge: Swagger UI would fetch it from its public validator.
            "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
            "API_SPEC_OPTIONS": {
                "info": {
                    "description": API_DESCRIPTION,
                    # No address: the project publishes none yet; linters ask for the object, and the name says who.
                    "contact": {"name": "Claimtrail maintainers"},
                },
                # Relative: the document is served by the service it describes, wherever that is.
                "servers": [{"url": "/", "description": "The service that serves this document"}],
                # A key is optional unless READ_REQUIRES_KEY; writes and the probes say otherwise per operation.
                "security": [{}, {"bearerAuth": []}],
            },
        }
