"""Field types shared by every schema."""
import re
import uuid
from datetime import datetime

from marshmallow import ValidationError, fields, validate

from service.clock import as_naive_utc

# Both databases store an INTEGER column in 4 bytes (PostgreSQL's integer; SQLite would take more, so an
# export from it might not import into PostgreSQL): a client's integer bound for such a column stays below.
MAX_STORED_INT = 2**31 - 1
# A version a client may set (an import's): room left for as many later versions before the column is full.
MAX_VERSION = 2**30


class Text(fields.String):
    """A string both databases can store: no NUL (PostgreSQL refuses it), no lone surrogate (valid JSON,
    but no UTF-8 encodes it), and a length limit. Every string a client sends is one of these."""

    def __init__(self, *, min_length=None, max_length=10_000, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators += [_storable, validate.Length(min=min_length, max=max_length)]
        super().__init__(validate=validators, **kwargs)


def _storable(text):
    if "\x00" in text:
        raise ValidationError("NUL characters are not allowed.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Lone surrogates (\\ud800 to \\udfff alone) are not characters.") from None


def StoredInteger(*, minimum=0, maximum=MAX_STORED_INT, **kwargs):  # noqa: N802 (a field, named like one)
    """An integer that fits the 4-byte column it is stored in."""
    validators = list(kwargs.pop("validate", []) or [])
    validators.append(validate.Range(min=minimum, max=maximum))
    return fields.Integer(validate=validators, **kwargs)


class Id(fields.UUID):
    """A public identifier: a UUID, handed around as its string form."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        loaded = super().deserialize(value, attr, data, **kwargs)
        return str(loaded) if isinstance(loaded, uuid.UUID) else loaded

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


class UtcDateTime(fields.AwareDateTime):
    """Datetimes are naive UTC inside the service and always carry their zone on the wire."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=None, format="iso", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        # What the "iso" format gives for the value made aware, without the steps: a page has a hundred.
        if value is None:
            return None
        return value.isoformat() + "+00:00" if value.tzinfo is None else value.isoformat()

    def deserialize(self, value, attr=None, data=None, **kwargs):
        moment = super().deserialize(value, attr, data, **kwargs)
        if not isinstance(moment, datetime):  # missing or null
            return moment
        try:
            return as_naive_utc(moment)
        except OverflowError:  # its UTC time falls before year 1 or after 9999, which Python cannot hold
            raise ValidationError("The time in UTC is outside years 1 to 9999.") from None


_NAIVE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")


def _zoned(value, key=None):
    if isinstance(value, dict):
        return {k: _zoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_zoned(v, key) for v in value]
    if isinstance(value, str) and key and key.endswith("_at") and _NAIVE_TIME.match(value):
        return value + "+00:00"
    return value


class Snapshot(fields.Dict):
    """A state in the audit log. Stored events keep their times naive (they are hashed so, and never
    rewritten); on the wire each `*_at` time carries its zone like every other."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else _zoned(value)
