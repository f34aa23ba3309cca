"""Time in one place: naive UTC in the database (PostgreSQL's timestamp has no zone), aware UTC on the wire."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timezone

# The instant of the write under way: its rows' times and its audit event's `at` are this one value, so
# `as_of` any time a response showed finds exactly that response's state.
_write_instant = ContextVar("write_instant", default=None)


def utcnow():
    return _write_instant.get() or datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def one_instant():
    """Inside, utcnow() answers one time, taken on entry (an enclosing one_instant's, if any)."""
    if _write_instant.get() is not None:
        yield
        return
    token = _write_instant.set(datetime.now(timezone.utc).replace(tzinfo=None))
    try:
        yield
    finally:
        _write_instant.reset(token)


def time_as_text(value):
    """json.dumps' `default` for dates and times: ISO text, times always to the microsecond."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def as_naive_utc(value):
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def time_on_the_wire(value):
    """json.dumps' `default` for what clients see: dates as ISO, times as ISO with their zone."""
    if isinstance(value, datetime):
        return value.isoformat() + "+00:00" if value.tzinfo is None else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def parse_time(value):
    """An ISO time from a stored document or snapshot, as naive UTC again."""
    return as_naive_utc(datetime.fromisoformat(value)) if isinstance(value, str) else value


def parse_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value
