"""How claims are read: the filters of a claim list, and the hand-written SQL behind every claim shown.

Showing a claim takes three reads (the claims, their appearances, their speakers) that run on every
get, page and search; they are written out in SQL (see db.select) rather than built by peewee. Rows
come back as named tuples of the model's columns, so rules read them as they read models.
"""
from collections import namedtuple
from dataclasses import dataclass, field

from peewee import DateField, DateTimeField, JSONField

from . import workflow
from .db import as_date, as_datetime, as_json, is_postgres, select
from .models import Claim, Speaker
from .pagination import decode_cursor, encode_cursor

AppearanceRow = namedtuple("AppearanceRow", "claim_id uid exact prefix suffix start end created_at source_uid "
                                            "published_date sentence_index")


def _reader(model, *extra):
    """A named tuple of `model`'s columns (and `extra` names for joined ones), the SQL that selects the
    columns, and a function from a fetched row to the tuple with its dates, times and JSON as values."""
    fields = model._meta.sorted_fields
    row_type = namedtuple(f"{model.__name__}Row", [f.column_name for f in fields] + list(extra))
    columns = ", ".join(f'{model._meta.table_name}."{f.column_name}"' for f in fields)
    # Only the columns that need it are converted: a page reads about forty rows of a dozen columns.
    convert = [(i, _FROM_DB[type(f)]) for i, f in enumerate(fields) if type(f) in _FROM_DB]

    def read(row):
        values = list(row)
        for i, to_value in convert:
            if values[i] is not None:
                values[i] = to_value(values[i])
        return row_type._make(values)

    return row_type, columns, read


_FROM_DB = {DateField: as_date, DateTimeField: as_datetime, JSONField: as_json}
ClaimRow, _CLAIM_COLUMNS, _claim = _reader(Claim)
SpeakerRow, _SPEAKER_COLUMNS, _speaker = _reader(Speaker, "merged_into_uid")


def _marks(values):
    return ", ".join("?" * len(values))


@dataclass
class ClaimFilter:
    """Conditions on `claim` (and the tables joined to it) with their parameters, in SQL."""

    joins: str = ""
    conditions: list = field(default_factory=list)
    params: list = field(default_factory=list)

    def where(self, condition, *params):
        self.conditions.append(condition)
        self.params.extend(params)

    def sql(self, *extra):
        """FROM ... WHERE ... for these conditions and any `extra` ones (whose parameters come after)."""
        conditions = [*self.conditions, *extra]
        return f"FROM claim{self.joins}" + (f" WHERE {' AND '.join(conditions)}" if conditions else "")


def filtered(*, status=None, speaker_id=None, source_id=None, tag=None, date_from=None, date_to=None,
             updated_since=None):
    """Claims matching every given filter. Each filter has an index behind it (see service/models.py):
    status (status, id), speaker (speaker, id), source (appearance source, claim), tag (tag, claim),
    updated_at; claim_date ranges scan within whatever the others leave."""
    workflow.check_status_filter(status)
    claims = ClaimFilter()
    if status:
        claims.where("claim.status = ?", status)
    if speaker_id:
        claims.where("claim.speaker_id IN (SELECT id FROM speaker WHERE uid = ?)", speaker_id)
    if source_id:
        claims.where("claim.id IN (SELECT appearance.claim_id FROM appearance JOIN source"
                     " ON source.id = appearance.source_id WHERE source.uid = ?)", source_id)
    if tag:
        # A join, not `id IN (claims with the tag)`: SQLite built and sorted that whole set before taking
        # a page (80 ms for a common tag at a million claims); joined, it walks (status, id) and probes
        # (tag, claim) until the page is full. The (tag, claim) index is unique: no claim comes twice.
        claims.joins += " JOIN claim_tag ON claim_tag.claim_id = claim.id"
        claims.where("claim_tag.tag = ?", tag)
    # SQLite keeps dates and times as ISO text, so they are compared as such (str() gives peewee's format).
    if date_from:
        claims.where("claim.claim_date >= ?", _comparable(date_from))
    if date_to:
        claims.where("claim.claim_date <= ?", _comparable(date_to))
    if updated_since:
        claims.where("claim.updated_at >= ?", _comparable(updated_since))
    return claims


def _comparable(value):
    return value if is_postgres() else str(value)


def page(claims, limit, cursor=None):
    """A page of filtered claims in id order: ([ClaimRow], next_cursor or None)."""
    extra, params = [], list(claims.params)
    if cursor:
        extra.append("claim.id > ?")
        params.append(decode_cursor(cursor))
    rows = select(f"SELECT {_CLAIM_COLUMNS} {claims.sql(*extra)} ORDER BY claim.id LIMIT ?", [*params, limit + 1])
    found = [_claim(row) for row in rows[:limit]]
    return found, (encode_cursor(found[-1].id) if len(rows) > limit else None)


def by_uid(uid):
    rows = select(f"SELECT {_CLAIM_COLUMNS} FROM claim WHERE claim.uid = ?", (uid,))
    return _claim(rows[0]) if rows else None


def by_ids(ids):
    """ClaimRows in the order of `ids`."""
    if not ids:
        return []
    found = {row.id: row for row in map(_claim, select(
        f"SELECT {_CLAIM_COLUMNS} FROM claim WHERE claim.id IN ({_marks(ids)})", list(ids)))}
    return [found[claim_id] for claim_id in ids]


def appearances(claim_ids):
    """AppearanceRows of these claims, in the order recorded."""
    if not claim_ids:
        return []
    rows = select(
        "SELECT appearance.claim_id, appearance.uid, appearance.exact, appearance.prefix, appearance.suffix,"
        ' appearance.start, appearance."end", appearance.created_at, source.uid, source.published_date,'
        ' sentence."index" FROM appearance JOIN source ON source.id = appearance.source_id'
        " JOIN sentence ON sentence.id = appearance.sentence_id"
        f" WHERE appearance.claim_id IN ({_marks(claim_ids)}) ORDER BY appearance.id", list(claim_ids))
    return [AppearanceRow(*row[:7], as_datetime(row[7]), row[8], as_date(row[9]), row[10]) for row in rows]


def speakers(speaker_ids):
    """{speaker id: SpeakerRow}."""
    if not speaker_ids:
        return {}
    rows = select(
        f"SELECT {_SPEAKER_COLUMNS}, merged.uid FROM speaker"
        " LEFT JOIN speaker AS merged ON merged.id = speaker.merged_into_id"
        f" WHERE speaker.id IN ({_marks(speaker_ids)})", list(speaker_ids))
    return {row[0]: _speaker(row) for row in rows}
