"""Optimistic concurrency: every mutable row has a version, shown to clients as its ETag."""
from functools import partial

from ..clock import utcnow
from ..errors import StaleVersion
from .db import Prepared, attribute


def check_version(row, expected_version):
    """The optimistic lock: a write names the version it read (or the versions it accepts, or None for any
    current one, as If-Match `*` does); anything else means it read stale data."""
    accepted = {expected_version} if isinstance(expected_version, int) else expected_version
    if accepted is not None and row.version not in accepted:
        named = ", ".join(str(v) for v in sorted(accepted))
        raise StaleVersion(
            f"{type(row).__name__.lower()} is at version {row.version}, the request was made against {named}",
            headers={"ETag": etag(row.version)},
        )


def next_version(row):
    """Move `row` to its next version in memory: set its changes, then its document, then `save_changes`."""
    row.version += 1
    row.updated_at = utcnow()


def save_changes(row, read_version=None):
    """Write the fields changed on `row` if the stored row is still at the version it was read at (by
    default the one before its own); the WHERE on that version makes a lost update impossible."""
    model = type(row)
    read_version = row.version - 1 if read_version is None else read_version
    values = {field.name: getattr(row, attribute(field)) for field in row.dirty_fields}
    update = _UPDATES.get(model) or _UPDATES.setdefault(model, Prepared(partial(_versioned_update, model)))
    if update.execute(*sorted(values), id=row.id, read_version=read_version, **values).rowcount != 1:
        current = model.select(model.version).where(model.id == row.id).scalar()
        raise StaleVersion(f"{model.__name__.lower()} was changed by someone else meanwhile",
                           headers={"ETag": etag(current)})


_UPDATES = {}  # per model: its versioned UPDATE, rendered once for each set of changed fields


def _versioned_update(model, slot, *names):
    fields = model._meta.fields
    return (model.update({fields[name]: slot(name, fields[name]) for name in names})
            .where((model.id == slot("id")) & (model.version == slot("read_version"))))


def etag(version):
    return f'"v{version}"'
