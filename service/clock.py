"""Time in one place: naive UTC in the database (PostgreSQL's timestamp has no zone), aware UTC on the wire."""
from datetime import date, datetime, timezone


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


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

