"""The base of every schema: marshmallow's, with `dump` compiled once into a plain function per schema.

marshmallow walks each value through several method calls (get_value, serialize, _serialize); a page
of twenty claims took about 5 ms that way, more than the rest of the request. The compiled dump does
the same per-field conversions with none of the walking: it reads each attribute itself and calls the
field's own `_serialize`, so the schema stays the one description of a response, and any field or schema
it does not know how to shortcut (hooks, defaults, methods) is dumped by marshmallow as before.
tests/test_dumping.py checks that both give the same document for every response schema.
"""
import marshmallow
from marshmallow import fields
from marshmallow.utils import missing

# Fields whose `_serialize` returns None for None: the compiled dump answers None itself.
_NULL_SAFE = (fields.String, fields.Number, fields.Boolean, fields.DateTime, fields.Date, fields.UUID)
# What these fields' `_serialize` gives back unchanged.
_ALREADY_JSON = {fields.String: str, fields.Integer: int, fields.Float: float, fields.Boolean: bool}


class Schema(marshmallow.Schema):
    def dump(self, obj, *, many=None):
        compiled = self.__dict__.get("_compiled_dump")
        if compiled is None:
            compiled = self.__dict__["_compiled_dump"] = compile_dump(self)
        if many if many is not None else self.many:
            return [compiled(item) for item in obj]
        return compiled(obj)


def compile_dump(schema):
    """A function that dumps one object as `schema.dump` would; marshmallow's own dump where hooks run."""
    if any(schema._hooks.values()):
        return lambda obj: marshmallow.Schema.dump(schema, obj, many=False)
    plan = [(field.data_key or name, field.attribute or name, field, _converter(field))
            for name, field in schema.dump_fields.items()]

    def dump(obj):
        read = obj.get if isinstance(obj, dict) else (lambda attr, default: getattr(obj, attr, default))
        document = {}
        for key, attr, field, convert in plan:
            if convert is None:
                value = field.serialize(attr, obj)
            else:
                value = read(attr, missing)
                if value is not None and value is not missing:
                    value = convert(value)
            if value is not missing:
                document[key] = value
        return document

    return dump


def _converter(field):
    """How to turn a present, non-None value of `field` into JSON; None leaves the field to marshmallow."""
    if field.dump_default is not missing:
        return None
    if isinstance(field, fields.List):
        inner = _converter(field.inner)
        return None if inner is None else (lambda value: [None if item is None else inner(item) for item in value])
    if isinstance(field, fields.Nested):
        nested = field.schema
        if not isinstance(nested, Schema):
            return None
        return (lambda value: nested.dump(value, many=True)) if field.many else nested.dump
    if not isinstance(field, _NULL_SAFE):
        return None
    serialize = field._serialize
    already = _ALREADY_JSON.get(type(field))
    if already is None or getattr(field, "as_string", False):
        return lambda value: serialize(value, None, None)
    # The common case, a value already of the JSON type, skips even the call to `_serialize`.
    return lambda value: value if type(value) is already else serialize(value, None, None)
