"""Domain errors raised by the rule modules. service/api/problems.py maps each to an HTTP problem."""


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail, *, errors=None, location="body", headers=None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors  # {field: [messages]}, about fields found in `location`
        self.location = location
        self.headers = headers or {}


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class InvalidTransition(Conflict):
    title = "Invalid status transition"


class Invalid(DomainError):
    """Well-formed input that breaks a rule (a quote not in its sentence, an unknown speaker id)."""

    status = 422
    title = "Unprocessable Entity"


class QuoteNotFound(Invalid):
    title = "Quote not found"


class StaleVersion(DomainError):
    status = 412
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    status = 428
    title = "Precondition required"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unavailable(DomainError):
    """The service cannot answer now (database unreachable, schema not migrated); later it may."""

    status = 503
    title = "Service unavailable"


class InsufficientStorage(DomainError):
    """The database's disk is full: nothing more can be written until space is freed."""

    status = 507
    title = "Insufficient storage"


def flatten(messages, path=""):
    """marshmallow nests messages by field; people want one (dotted field, message) pair each."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            key = "" if key == "_schema" else str(key)
            yield from flatten(value, f"{path}.{key}" if path and key else path or key)
    elif isinstance(messages, (list, tuple)) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield path, message
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            yield from flatten(item, path)
    else:
        yield path, str(messages)
