"""Optimistic concurrency: every mutable row has a version, shown to clients as its ETag."""
from .clock import utcnow
from .db import select, update_versioned
from .errors import StaleVersion


def check_version(row, expected_version):
    """The optimistic lock: a write names the version it read; anything else means it read stale data."""
    if row.version != expected_version:
        raise StaleVersion(
            f"{type(row).__name__.lower()} is at version {row.version}, the request was made against {expected_version}",
            headers={"ETag": etag(row.version)},
        )


def bump_version(row):
    """Save `row` as the next version; the WHERE on the old version makes a lost update impossible."""
    model = type(row)
    row.version += 1
    row.updated_at = utcnow()
    # __data__ holds a foreign key as its id; getattr would load the related row just to write its id back.
    values = {f.name: row.__data__.get(f.name) for f in model._meta.sorted_fields if f is not model.id}
    if update_versioned(model, row.id, values, row.version - 1) != 1:
        current = select(f'SELECT version FROM "{model._meta.table_name}" WHERE id = ?', (row.id,))[0][0]
        raise StaleVersion(f"{model.__name__.lower()} was changed by someone else meanwhile",
                           headers={"ETag": etag(current)})


def etag(version):
    return f'"v{version}"'
