"""The base of every schema: marshmallow's, with `dump` compiled once into a plain function per schema.

marshmallow walks each value through several method calls (get_value, serialize, _serialize); a page
of twenty claims took about 5 ms that way, more than the rest of the request. The compiled dump does
the same per-field conversions with none of the walking: it reads each attribute itself and calls the
field's own `_serialize`, so the schema stays the one description of a response, and any field or schema
it does not know how to shortcut (hooks, defaults, methods) is dumped by marshmallow as before.
tests/test_dumping.py checks that both give the same document for every response schema.
"""
import threading

import marshmallow
from marshmallow import fields
from marshmallow.utils import missing

# Fields whose `_serialize` returns None for None: the compiled dump answers None itself.
_NULL_SAFE = (fields.String, fields.Number, fields.Boolean, fields.DateTime, fields.Date, fields.UUID)
# What these fields' `_serialize` gives back unchanged.
_ALREADY_JSON = {fields.String: str, fields.Integer: int, fields.Float: float, fields.Boolean: bool}


class Schema(marshmallow.Schema):
    def dump(self, obj, *, many=None):
        compiled = self.compiled_dump()
        if many if many is not None else self.many:
            return [compiled(item) for item in obj]
        return compiled(obj)

    def compiled_dump(self):
        """This schema's dump of one object, compiled once per schema class and field selection (views
        that make a schema per request reuse it)."""
        if "_compiled_dump" not in self.__dict__:
            key = (type(self), *(None if names is None else frozenset(names)
                                 for names in (self.only, self.exclude, self.load_only, self.dump_only)))
            with _COMPILING_LOCK:
                if key not in _COMPILED:
                    if key in _COMPILING:  # a schema nested in itself: look its dump up when it runs
                        return lambda obj: _COMPILED[key](obj)
                    _COMPILING.add(key)
                    try:
                        _COMPILED[key] = compile_dump(self)
                    finally:
                        _COMPILING.discard(key)
            self.__dict__["_compiled_dump"] = _COMPILED[key]
        return self.__dict__["_compiled_dump"]


_COMPILED, _COMPILING, _COMPILING_LOCK = {}, set(), threading.RLock()


def compile_dump(schema):
    """A function that dumps one object as `schema.dump` would; marshmallow's own dump where hooks run.

    The function is written out as Python source, one statement per field, so that dumping a claim
    runs straight-line code rather than a loop that asks each field what it is.
    """
    if any(schema._hooks.values()):
        return lambda obj: marshmallow.Schema.dump(schema, obj, many=False)
    names = {"missing": missing, "accessor": schema.get_attribute}
    lines = ["def dump(obj):",
             "    get = obj.get if isinstance(obj, dict) else (lambda attr, default: getattr(obj, attr, default))",
             "    document = {}"]
    for n, (name, field) in enumerate(schema.dump_fields.items()):
        key = repr(field.data_key if field.data_key is not None else name)
        attr = field.attribute if field.attribute is not None else name
        convert, already = (None, None) if "." in attr else _converter(field)  # dotted paths: marshmallow's
        names[f"field{n}"], names[f"convert{n}"], names[f"type{n}"] = field, convert, already
        if convert is None:
            lines.append(f"    value = field{n}.serialize({name!r}, obj, accessor=accessor)")
        else:
            lines.append(f"    value = get({attr!r}, missing)")
            kept = f"value is None or type(value) is type{n}" if already else "value is None"
            lines.append(f"    if value is not missing and not ({kept}):")
            lines.append(f"        value = convert{n}(value)")
        lines.append("    if value is not missing:")
        lines.append(f"        document[{key}] = value")
    lines.append("    return document")
    exec("\n".join(lines), names)  # noqa: S102  (the source is made here from field names, not from input)
    return names["dump"]


def _converter(field):
    """How to turn a present, non-None value of `field` into JSON, and the type it already has when no
    turning is needed; (None, None) leaves the field to marshmallow."""
    if field.dump_default is not missing:
        return None, None
    if isinstance(field, fields.List):
        inner, _ = _converter(field.inner)
        if inner is None:
            return None, None
        return (lambda value: [None if item is None else inner(item) for item in value]), None
    if isinstance(field, fields.Pluck):
        return None, None
    if isinstance(field, fields.Nested):
        nested = field.schema
        if not isinstance(nested, Schema):
            return None, None
        one = nested.compiled_dump()
        return ((lambda value: [one(item) for item in value]) if field.many else one), None
    if not isinstance(field, _NULL_SAFE):
        return None, None
    serialize = field._serialize
    already = None if getattr(field, "as_string", False) else _ALREADY_JSON.get(type(field))
    return (lambda value: serialize(value, None, None)), already
