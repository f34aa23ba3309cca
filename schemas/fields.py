"""Field types shared by every schema."""
import re

from marshmallow import ValidationError, fields, validate

from service.clock import as_naive_utc


class Text(fields.String):
    """A string with no NUL characters (PostgreSQL cannot store them) and a length limit."""

    def __init__(self, *, min_length=None, max_length=10_000, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators.append(validate.Length(min=min_length, max=max_length))
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("NUL characters are not allowed.")
        return text


class Id(fields.UUID):
    """A public identifier: a UUID, handed around as its string form."""

    def _deserialize(self, value, attr, data, **kwargs):
        return str(super()._deserialize(value, attr, data, **kwargs))

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

    def _deserialize(self, value, attr, data, **kwargs):
        return as_naive_utc(super()._deserialize(value, attr, data, **kwargs))


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
