"""Time in one place: naive UTC in the database (PostgreSQL's timestamp has no zone), aware UTC on the wire."""
from datetime import date, datetime, timezone


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_aware(value):
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def as_naive_utc(value):
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def time_text(value):
    """`json.dumps`'s `default` for states holding dates and times: ISO 8601, microseconds always shown,
    so a time reads back as the same text whatever its value (the audit chain hashes that text)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
