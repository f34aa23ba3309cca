"""`Schema.load` for plainly valid input, several times quicker (bulk import loads every line).

Plain checks are built from the schema's own fields and validators: a string is a `str` within its
Length, an integer an `int`, an Id a UUID already in its canonical form, a nested object a `dict` with
its required keys and no unknown ones. Whatever is not plainly valid (another type marshmallow would
convert, a failed check, a field this module does not know) goes to `schema.load` itself, so
marshmallow still decides every rejection and its message, and the schema stays the one description
of the input. Each plain check must accept only what marshmallow accepts, and load it the same:
tests/test_fastload.py holds them to it.
"""
import re
from functools import lru_cache
from itertools import chain

from marshmallow import RAISE, ValidationError, fields, missing, validate

from .fields import Id, Text

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_REMEMBERED = 256  # strings a field remembers: times and URLs repeat from line to line (a source's, a speaker's)


class _NotPlain(Exception):
    """The value needs marshmallow's own look."""


def fast_loader(schema):
    """A function that loads like `schema.load`: the same result, or the same ValidationError."""
    load_plain = _schema_loader(schema)

    def load(data):
        try:
            return load_plain(data)
        except _NotPlain:
            return schema.load(data)

    return load


def _schema_loader(schema):
    fields_ = schema.load_fields
    if (any(schema._hooks.values()) or schema.unknown != RAISE
            or any(f.data_key not in (None, name) or f.attribute not in (None, name) for name, f in fields_.items())):
        return _marshmallow(schema.load)
    loaders = {name: _field_loader(field) for name, field in fields_.items()}
    required = {name for name, field in fields_.items() if field.required}
    defaults = [(name, f.load_default) for name, f in fields_.items() if f.load_default is not missing]

    def load(data):
        if type(data) is not dict or not required <= data.keys() <= loaders.keys():
            raise _NotPlain
        loaded = {name: loaders[name](value) for name, value in data.items()}
        for name, default in defaults:
            if name not in loaded:
                loaded[name] = default() if callable(default) else default
        return loaded

    return load


def _field_loader(field):
    """value -> what `field.deserialize` makes of a value given, or _NotPlain."""
    if field.pre_load or field.post_load:
        return _marshmallow(field.deserialize)
    if type(field) is fields.Nested:
        if field.many or field.only or field.exclude or field.unknown:
            return _marshmallow(field.deserialize)
        convert = _schema_loader(field.schema)
    elif type(field) is fields.List:
        convert = _list_converter(field.inner)
    elif type(field) in _PLAIN:
        convert = _PLAIN[type(field)]
    elif isinstance(field, _CONVERTED):  # these convert a value on its own (no other field, no context)
        convert = _marshmallow(lambda value: field._deserialize(value, None, None), remember=True)
    else:
        return _marshmallow(field.deserialize)
    low, high = _length(field.validators)
    checks = [_marshmallow(v, remember=isinstance(v, validate.Validator))
              for v in field.validators if type(v) is not validate.Length]
    allow_none, any_length = field.allow_none, (low, high) == (0, float("inf"))
    if any_length and not checks and not allow_none:
        return convert  # each converter refuses None itself

    def load(value):
        if value is None:
            if allow_none:
                return None
            raise _NotPlain
        loaded = convert(value)
        if not (any_length or low <= len(loaded) <= high):
            raise _NotPlain
        for check in checks:
            check(loaded)
        return loaded

    return load


def _list_converter(item_field):
    load_item, all_plain = _field_loader(item_field), _all_plain(item_field)

    def convert(value):
        if type(value) is not list:
            raise _NotPlain
        if all_plain is None:
            return [load_item(item) for item in value]
        if not all_plain(value):
            raise _NotPlain
        return list(value)

    return convert


def _all_plain(field):
    """For a field whose plainly valid values load as they are (strings or integers without checks, and
    lists of them within a Length), a check of a whole list of values at once, in C: a source's sentence
    spans are a list of [start, end] lists, and checking each number alone cost more than the rest of
    the line. None for other fields."""
    if field.pre_load or field.post_load or field.allow_none:
        return None
    if any(type(v) is not validate.Length for v in field.validators):
        return None
    low, high = _length(field.validators)
    if type(field) in _PLAIN_TYPES and not field.validators:
        kinds = {_PLAIN_TYPES[type(field)]}
        return lambda values: set(map(type, values)) <= kinds
    items_plain = _all_plain(field.inner) if type(field) is fields.List else None
    if items_plain is None:
        return None

    def all_plain(values):
        if not set(map(type, values)) <= {list}:
            return False
        lengths = set(map(len, values))
        return all(low <= length <= high for length in lengths) and items_plain(list(chain.from_iterable(values)))

    return all_plain


def _length(validators):
    """(shortest, longest) that the field's Length validators allow together."""
    low, high = 0, float("inf")
    for v in validators:
        if type(v) is validate.Length:
            shortest, longest = (v.equal, v.equal) if v.equal is not None else (v.min, v.max)
            low, high = max(low, shortest or 0), min(high, float("inf") if longest is None else longest)
    return low, high


def _marshmallow(call, remember=False):
    """marshmallow's own conversion or check, its rejection passed on as _NotPlain. With `remember`,
    `call` depends on its value alone, and its answers for the last strings it saw are kept."""
    answer = lru_cache(maxsize=_REMEMBERED)(call) if remember else call

    def load(value):
        try:
            return answer(value) if type(value) is str else call(value)
        except ValidationError:
            raise _NotPlain from None

    return load


def _plain(kind, holds=None):
    """A converter for values that load as they are: exactly of this type (so no bool for an int) and,
    given `holds`, passing it."""
    def convert(value):
        if type(value) is not kind or (holds is not None and not holds(value)):
            raise _NotPlain
        return value

    return convert


# Field classes (exactly these, not subclasses) whose plainly valid input comes out as it went in.
_PLAIN = {fields.String: _plain(str), Text: _plain(str, lambda text: "\x00" not in text), fields.Integer: _plain(int),
          Id: _plain(str, _CANONICAL_UUID.fullmatch)}
_PLAIN_TYPES = {fields.String: str, fields.Integer: int}
_CONVERTED = (fields.String, fields.Number, fields.UUID, fields.Date, fields.DateTime)
