"""Import: checked lines (service/rules/lines.py) written in batches, one write transaction and one audit event
per created or changed resource each, so that a million lines take bounded memory and the audit chain
stays whole.

Each line is decided against what is stored, as the batch so far leaves it:
- a source is created, or must equal the stored one (sources never change);
- a speaker is created, updated by a newer version, or left as stored when the line's copy is older or
  unversioned (the line then only names it);
- a claim is created, left alone when the line agrees with it, or updated when the line is a newer
  version that keeps every stored appearance and review (the line may add more). Anything else is a
  conflict, and the line is rejected with its reason; the other lines go on.
"""
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from peewee import ForeignKeyField, chunked

from ..errors import Conflict, DomainError, Unauthorized
from ..rules import documents, workflow
from ..rules import claims as claim_rules
from ..rules.claims import appearance_dict
from ..rules.lines import LineParser
from ..rules.reviews import evidence_dict, review_dict
from ..rules.sources import represent as source_represent
from ..rules.sources import snapshot as source_snapshot
from ..rules.speakers import snapshot as speaker_snapshot
from ..store import audit, search
from ..clock import utcnow
from ..store.claims import claim_row, write_tag_rows
from ..store.claims import store_document as store_claim_document
from ..store.db import IN_LIMIT, insert_all, write_transaction
from ..store.lines import lines_for
from ..store.models import Appearance, Claim, Evidence, Review, Source, Speaker
from ..store.sources import insert_sources, with_sentences
from ..store.sources import sentence_ids as stored_sentence_ids
from ..store.speakers import insert_speakers, new_speaker, speaker_row
from ..store.speakers import store_document as store_speaker_document
from ..store.versioning import save_changes

BATCH_LINES = 1000  # a commit writes each page it changed: fewer, larger commits write fewer pages a line
BATCH_BYTES = 8 * 1024 * 1024
REPORTED_REJECTIONS = 1000
# An import this large leaves the search index in many pieces that every search then reads: it ends by
# merging them (search.optimize).
OPTIMIZE_AFTER = 10_000
_CLAIM_FIELDS = ("text", "claim_date", "status", "tags", "created_at", "updated_at", "version")
_SPEAKER_FIELDS = ("name", "kind", "aliases", "role", "affiliation", "region", "external_id", "version",
                   "created_at", "updated_at")
_SOURCE_FIELDS = ("title", "url", "publisher", "published_date", "language", "text", "created_at")


@dataclass
class ImportReport:
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_lines: list = field(default_factory=list)

    def reject(self, number, reason):
        self.rejected += 1
        if len(self.rejected_lines) < REPORTED_REJECTIONS:
            self.rejected_lines.append({"line": number, "reason": reason})

    def summary(self):
        return (f"{self.lines} lines: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.rejected} rejected")


def import_records(ctx, records, *, origin="import", progress=lambda size: None,
                   batch_lines=BATCH_LINES, batch_bytes=BATCH_BYTES, still_allowed=lambda: True):
    """Check each record, write the valid ones in batches; `progress` hears the bytes of each batch.

    `still_allowed()` is asked before each batch is written: a caller whose key was revoked meanwhile is
    stopped there (Unauthorized, saying what was committed) instead of writing on under a dead key.
    """
    with _old_objects_left_alone():
        return _import(ctx, records, origin, progress, batch_lines, batch_bytes, still_allowed)


@contextmanager
def _old_objects_left_alone():
    """The objects alive before the import (the app and all it loaded) are set aside from the garbage
    collector's full passes while it runs: each batch's many new objects set off such passes, each of
    which would walk the whole heap again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _import(ctx, records, origin, progress, batch_lines, batch_bytes, still_allowed):
    report, batch, size = ImportReport(), [], 0
    parse = LineParser().parse
    for record in records:
        report.lines += 1
        size += record.size
        try:
            batch.append((record.number, parse(record)))
        except DomainError as bad:
            report.reject(record.number, bad.detail)
        if len(batch) >= batch_lines or size >= batch_bytes:
            _write(ctx, origin, batch, report, still_allowed)
            progress(size)
            batch, size = [], 0
    _write(ctx, origin, batch, report, still_allowed)
    progress(size)
    if report.created + report.updated >= OPTIMIZE_AFTER:
        search.optimize()
    return report


def _write(ctx, origin, batch, report, still_allowed):
    if not batch:
        return
    with write_transaction():  # read what is stored inside the lock, so no other writer slips in between
        if not still_allowed():  # asked inside the lock: a revocation committed before it is seen
            done = report.created + report.updated + report.unchanged
            raise Unauthorized(
                f"the API key was revoked during the import: it stopped before line {batch[0][0]}; the "
                f"{done + report.rejected} lines before it stay as committed ({report.summary()})",
                headers={"WWW-Authenticate": 'Bearer realm="claimtrail"'})
        writer = _BatchWriter(ctx, origin, [line for _, line in batch])
        for number, line in batch:
            try:
                outcome = writer.add(number, line)
            except DomainError as conflict:
                report.reject(number, conflict.detail)
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
        writer.flush()


def _agrees(given, stored):
    """The line says nothing against what is stored: every field it gives (times, versions and other
    optional ones may be left out) equals the stored one, lists item by item."""
    if given == stored:  # most often so, and Python compares far quicker than the walk below
        return True
    if isinstance(given, dict):
        return isinstance(stored, dict) and all(
            k in stored and (v == stored[k] or _agrees(v, stored[k])) for k, v in given.items())
    if isinstance(given, list):
        return (isinstance(stored, list) and len(given) == len(stored)
                and all(_agrees(g, s) for g, s in zip(given, stored)))
    return False


def _claim_part(line):
    """The claim itself: the speaker by id; the speaker and sources are decided on their own."""
    part = {k: v for k, v in line.items() if k not in ("speaker", "sources")}
    return {**part, "speaker_id": line["speaker"]["id"] if line["speaker"] else None}


def _row(model, given, names, **fields):
    """A row to insert ({field name: value}) of what the line gives; the model's defaults, else None,
    fill in the other columns (links excepted). A plain dict: a peewee model instance costs more to make
    than most of a line's own work."""
    row = {name: given[name] for name in names if name in given}
    row.update(fields)
    for name, default in _columns(model):
        if name not in row:
            row[name] = default() if callable(default) else default
    return row


@cache
def _columns(model):
    """(name, default) of the model's own columns: neither its id nor its links to other rows."""
    return [(f.name, f.default) for f in model._meta.sorted_fields
            if not f.primary_key and not isinstance(f, ForeignKeyField)]


def _as_read(row, **more):
    """A row not yet stored, read the way the rule modules read a stored one (by attribute)."""
    return SimpleNamespace(**row, **more)


def _owners(model, uids):
    """{uid: uid of the claim it belongs to} for those of these appearances or reviews already stored."""
    owners = {}
    for part in _parts_of(uids):
        owners.update(model.select(model.uid, Claim.uid).join(Claim).where(model.uid.in_(part)).tuples())
    return owners


def _ids(model, uids):
    ids = {}
    for part in _parts_of(uids):
        ids.update(model.select(model.uid, model.id).where(model.uid.in_(part)).tuples())
    return ids


class _Pending:
    """Writes decided but not yet sent to the database."""

    def __init__(self):
        self.speakers, self.speaker_updates = [], []  # rows ({field name: value}) here and below
        self.sources = []  # (row, sentence spans)
        self.claims, self.claim_updates = [], []  # (row, speaker uid, quotes_text for search)
        self.appearances = []  # (row, claim uid, source uid, sentence index)
        self.reviews = []  # (row, claim uid, evidence dicts)
        self.events = []
        self.touched = set()  # uids of the speakers and claims written here

    def __bool__(self):
        return bool(self.events)


class _BatchWriter:
    """One batch: what the database holds for its lines, kept up to date as lines are decided, and the
    writes they add up to. A line touching a speaker or claim already pending sends the pending writes
    first, so that one flush never writes a row twice."""

    def __init__(self, ctx, origin, lines):
        self.ctx, self.origin, self.pending = ctx, origin, _Pending()
        speaker_uids = {line["speaker"]["id"] for line in lines if line["speaker"]}
        self.speakers = {row.uid: documents.speaker_state(row.document) for part in _parts_of(speaker_uids)
                         for row in Speaker.select(Speaker.uid, Speaker.document).where(Speaker.uid.in_(part))}
        self.sources = with_sentences({s["id"] for line in lines for s in line["sources"]})
        wanted = {line["id"] for line in lines} | {line["external_id"] for line in lines}
        self.claims, self.claim_of_uid = {}, {}
        for part in _parts_of(wanted):
            stored = Claim.select().where(Claim.uid.in_(part) | Claim.external_id.in_(part))
            for line in lines_for(list(stored)):
                self._remember(line)
        self.owner = {
            "appearances": _owners(Appearance, {a["id"] for line in lines for a in line["appearances"]}),
            "reviews": _owners(Review, {r["id"] for line in lines for r in line["reviews"]}),
        }

    def _remember(self, line):
        self.claims[line["external_id"]] = line
        self.claim_of_uid[line["id"]] = line["external_id"]

    def add(self, number, line):
        """Decide the line, queue its writes; 'created', 'updated' or 'unchanged'. Raises Conflict."""
        speaker_step = self._speaker_step(line["speaker"])
        new_sources = [s for s in line["sources"] if self._is_new_source(s)]
        stored = self._stored_claim(line)
        claim_step = self._claim_step(line, stored)
        if not (speaker_step or new_sources or claim_step):
            return "unchanged"
        if ({line["id"], line["speaker"]["id"] if speaker_step else None} & self.pending.touched):
            self.flush()
        reason = f"{self.origin} line {number}"
        if speaker_step:
            self._queue_speaker(line["speaker"], reason)
        for source in new_sources:
            self._queue_source(source, reason)
        if claim_step:
            self._queue_claim(line, stored, reason)
        return "created" if claim_step and stored is None else "updated"

    def _speaker_step(self, given):
        if given is None:
            return False
        stored = self.speakers.get(given["id"])
        if stored is not None and stored["merged_into_id"]:
            raise Conflict(f"speaker {given['id']} was merged into {stored['merged_into_id']}: use that one")
        if stored is None or _agrees(given, stored):
            return stored is None
        version = given.get("version")
        if version is None or version < stored["version"]:
            return False  # an older or unversioned copy: the line only names the stored speaker
        if version == stored["version"]:
            raise Conflict(f"speaker {given['id']} differs from the stored one at the same version {version}")
        return True

    def _is_new_source(self, given):
        stored = self.sources.get(given["id"])
        if stored is not None and not _agrees(given, stored):
            raise Conflict(f"source {given['id']} differs from the stored one (sources never change)")
        return stored is None

    def _stored_claim(self, line):
        stored = self.claims.get(line["external_id"])
        if stored is None and line["id"] in self.claim_of_uid:
            raise Conflict(f"claim id {line['id']} is already the claim with external id "
                           f"{self.claim_of_uid[line['id']]}")
        if stored is not None and stored["id"] != line["id"]:
            raise Conflict(f"external id {line['external_id']} is already claim {stored['id']}")
        return stored

    def _claim_step(self, line, stored):
        kept = {"appearances": 0, "reviews": 0}
        if stored is not None:
            if _agrees(_claim_part(line), _claim_part(stored)):
                return False
            self._check_newer(line, stored)
            kept = {part: len(stored[part]) for part in kept}
        for part, count in kept.items():
            for item in line[part][count:]:
                if item["id"] in self.owner[part]:
                    raise Conflict(f"{part[:-1]} id {item['id']} already belongs to claim {self.owner[part][item['id']]}")
        return True

    def _check_newer(self, line, stored):
        version = line.get("version")
        if version is None:
            raise Conflict(f"the line differs from stored claim {stored['id']}: give a version newer than "
                           f"{stored['version']} to update it")
        if version <= stored["version"]:
            raise Conflict(f"stored claim {stored['id']} is at version {stored['version']}; the line's "
                           f"version {version} is not newer")
        if stored["status"] == workflow.RETRACTED != line["status"]:
            raise Conflict(f"claim {stored['id']} is retracted, and a retracted claim stays retracted")
        for part in ("appearances", "reviews"):
            if not _agrees(line[part][:len(stored[part])], stored[part]):
                raise Conflict(f"the line changes or drops stored {part} of claim {stored['id']}; they never change")

    def _queue_speaker(self, given, reason):
        before = self.speakers.get(given["id"])
        fields = {name: given[name] for name in _SPEAKER_FIELDS if name in given}
        if before is None:
            speaker, state = new_speaker(uid=given["id"], **fields)
            self.pending.speakers.append(speaker)
        else:  # a newer version: the stored row takes the line's fields, at the line's version
            speaker = speaker_row(given["id"])
            for name, value in {"updated_at": utcnow(), **fields}.items():
                setattr(speaker, name, value)
            state = store_speaker_document(speaker, speaker_snapshot(speaker))
            self.pending.speaker_updates.append((speaker, before["version"]))
        self.speakers[given["id"]] = state
        self.pending.touched.add(given["id"])
        self.pending.events.append(("speaker", given["id"], "import", before, state, reason))

    def _queue_source(self, given, reason):
        row = _row(Source, given, _SOURCE_FIELDS, uid=given["id"], sha256=given["sha256"],
                   sentence_count=len(given["sentences"]))
        self.pending.sources.append((row, given["sentences"]))
        self.sources[row["uid"]] = {**source_represent(_as_read(row)), "sentences": given["sentences"]}
        self.pending.events.append(("source", row["uid"], "import", None, source_snapshot(_as_read(row)), reason))

    def _queue_claim(self, line, stored, reason):
        kept = stored or {"appearances": [], "reviews": []}
        external_id = None if line["external_id"] == line["id"] else line["external_id"]
        if stored is None:
            claim = _as_read(_row(Claim, line, _CLAIM_FIELDS, uid=line["id"], external_id=external_id))
        else:  # a newer version: the stored row takes the line's fields, at the line's version
            claim = claim_row(line["id"])
            for name, value in {"updated_at": utcnow(), **{n: line[n] for n in _CLAIM_FIELDS if n in line},
                                "external_id": external_id}.items():
                setattr(claim, name, value)
        speaker_uid = line["speaker"]["id"] if line["speaker"] else None
        shown_appearances = kept["appearances"] + [self._queue_appearance(claim.uid, given)
                                                   for given in line["appearances"][len(kept["appearances"]):]]
        quotes = search.quotes_text(self._sentence_text(a) for a in shown_appearances)
        if stored is None:
            self.pending.claims.append((claim, speaker_uid, quotes))
        else:
            self.pending.claim_updates.append((claim, speaker_uid, quotes, stored["version"]))
        self.pending.touched.add(claim.uid)
        new_reviews = [self._queue_review(claim.uid, given) for given in line["reviews"][len(kept["reviews"]):]]
        published = {s["id"]: self.sources[s["id"]]["published_date"] for s in line["sources"]}
        state = store_claim_document(claim, claim_rules.state(
            claim, [(published[a["source_id"]], a) for a in shown_appearances], speaker_uid))
        self.pending.events.append(("claim", claim.uid, "import", _before(stored), state, reason))
        self.pending.events.extend(("review", review["id"], "import", None, review, reason) for review in new_reviews)
        self._remember({**state, "external_id": line["external_id"], "speaker": line["speaker"],
                        "reviews": kept["reviews"] + new_reviews, "sources": line["sources"]})
        self.owner["appearances"].update((a["id"], claim.uid) for a in shown_appearances)
        self.owner["reviews"].update((r["id"], claim.uid) for r in new_reviews)

    def _sentence_text(self, appearance):
        """What search indexes of the sentence an appearance quotes (the line carries its source)."""
        source = self.sources[appearance["source_id"]]
        start, end = source["sentences"][appearance["sentence_index"]]
        return source["text"][start:end]

    def _queue_appearance(self, claim_uid, given):
        quote, position = given["quote_selector"], given["position_selector"]
        row = _row(Appearance, given, ("created_at",), uid=given["id"], exact=quote["exact"], prefix=quote["prefix"],
                   suffix=quote["suffix"], start=position["start"], end=position["end"])
        self.pending.appearances.append((row, claim_uid, given["source_id"], given["sentence_index"]))
        return appearance_dict(_as_read(row), given["source_id"], given["sentence_index"])

    def _queue_review(self, claim_uid, given):
        row = _row(Review, given, ("status", "verdict", "rationale", "reviewer", "created_at"), uid=given["id"])
        evidence = [evidence_dict(**item) for item in given["evidence"]]
        self.pending.reviews.append((row, claim_uid, evidence))
        return review_dict(_as_read(row), claim_uid, evidence)

    def flush(self):
        """Send the pending writes, parents before children, and their audit events after them."""
        pending, self.pending = self.pending, _Pending()
        if not pending:
            return
        insert_speakers(pending.speakers)
        for speaker, read_version in pending.speaker_updates:
            save_changes(speaker, read_version)
        insert_sources(pending.sources)
        claim_ids = self._write_claims(pending)
        sentence_ids = stored_sentence_ids({source for *_, source, _ in pending.appearances}
                                     | {e["source_id"] for *_, evidence in pending.reviews
                                        for e in evidence if e["source_id"]})
        insert_all(Appearance, [{**row, "claim": claim_ids[claim], "source": sentence_ids[source][0],
                                  "sentence": sentence_ids[source][1][index]}
                                 for row, claim, source, index in pending.appearances])
        # after their appearances, as a claim's quoted sentences are searched too
        search.index_new([(claim_ids[claim.uid], claim.text, quotes) for claim, _, quotes in pending.claims])
        search.reindex([(claim.id, claim.text, quotes) for claim, _, quotes, _ in pending.claim_updates])
        insert_all(Review, [{**row, "claim": claim_ids[claim]} for row, claim, _ in pending.reviews])
        review_ids = _ids(Review, [row["uid"] for row, *_ in pending.reviews])
        insert_all(Evidence, [{"review": review_ids[row["uid"]], "stance": e["stance"], "url": e["url"],
                                "note": e["note"], "sentence": sentence_ids[e["source_id"]][1][e["sentence_index"]]
                                if e["source_id"] else None}
                               for row, _, evidence in pending.reviews for e in evidence])
        audit.record_many(self.ctx, pending.events)

    def _write_claims(self, pending):
        speaker_ids = _ids(Speaker, {uid for _, uid, *_ in pending.claims + pending.claim_updates if uid})
        insert_all(Claim, [{**vars(claim), "speaker": speaker_ids.get(uid)} for claim, uid, _ in pending.claims])
        for claim, uid, _, read_version in pending.claim_updates:
            claim.speaker = speaker_ids.get(uid)
            save_changes(claim, read_version)
        claim_ids = {**_ids(Claim, [claim.uid for claim, *_ in pending.claims]),
                     **{claim.uid: claim.id for claim, *_ in pending.claim_updates}}
        # a new claim has no tag rows yet; an updated one's are written again
        write_tag_rows([(claim_ids[claim.uid], claim.tags) for claim, *_ in pending.claims], replace=False)
        write_tag_rows([(claim.id, claim.tags) for claim, *_ in pending.claim_updates], replace=True)
        return claim_ids


def _before(stored):
    return documents.claim_state(claim_row(stored["id"]).document) if stored else None


def _parts_of(values):
    return chunked(list(values), IN_LIMIT)
