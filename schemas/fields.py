"""Field types shared by every schema."""
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
