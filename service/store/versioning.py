"""Optimistic concurrency: every mutable row has a version, shown to clients as its ETag."""
from peewee import ForeignKeyField

from ..clock import utcnow
from ..errors import StaleVersion


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
    # a foreign key's id as it is: its field's name would load the row it points to
    values = {f: getattr(row, f.object_id_name if isinstance(f, ForeignKeyField) else f.name) for f in row.dirty_fields}
    if model.update(values).where((model.id == row.id) & (model.version == read_version)).execute() != 1:
        current = model.select(model.version).where(model.id == row.id).scalar()
        raise StaleVersion(f"{model.__name__.lower()} was changed by someone else meanwhile",
                           headers={"ETag": etag(current)})


def etag(version):
    return f'"v{version}"'
