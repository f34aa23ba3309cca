"""Candidate claims: what extraction (service/rules/extraction) proposes from a source, stored for a checker.

A candidate moves proposed -> accepted (the claim is made through `claims.create_claim`, in the same
transaction as the candidate's own change) or proposed -> rejected (with a reason from REJECTION_REASONS),
so accepted and rejected candidates are labelled data. Running extraction again on a source stores only
proposals it has not stored before (same sentence, quote offsets and text), and never changes a stored one.
"""
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass

from peewee import JOIN, chunked

from . import audit, claims, documents, matching, sources, speakers
from .clock import utcnow
from .db import write_transaction
from .errors import Conflict, Invalid, NotFound, QuoteNotFound
from .models import Candidate, Claim, Extraction, Sentence, Source, Speaker, new_uid
from .pagination import page
from .rules.extraction.candidates import LANGUAGES, iter_candidates
from .rules.extraction.speakers import UNATTRIBUTED, words
from .versioning import check_version, next_version, save_changes

PROPOSED, ACCEPTED, REJECTED = STATUSES = ("proposed", "accepted", "rejected")
REJECTION_REASONS = ("not_check_worthy", "duplicate", "wrong_split", "opinion", "other")
DUPLICATES_PER_CANDIDATE = 5
BATCH = 200  # rows to a statement when storing a run's proposals
log = logging.getLogger(__name__)


def _sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Stored speakers that extraction may match.

class StoredSpeakers:
    """The stored speakers (not merged) as extraction's `known_speakers`, read once and indexed by word, so
    that each source is matched against only those whose name, an alias or role it could contain: a
    stored speaker matches a mention only when all of a label's words are in it."""

    def __init__(self):
        self.by_word = defaultdict(list)
        self.row_ids = {}
        self.entries = []
        for row in (Speaker.select(Speaker.id, Speaker.uid, Speaker.name, Speaker.aliases, Speaker.role, Speaker.kind)
                    .where(Speaker.merged_into.is_null()).order_by(Speaker.id)):
            index = len(self.entries)
            self.entries.append({"id": row.uid, "name": row.name, "aliases": list(row.aliases or []),
                                 "role": row.role, "kind": row.kind})
            self.row_ids[row.uid] = row.id
            for label in [row.name, *(row.aliases or []), row.role or ""]:
                label_words = frozenset(words(label))
                if label_words:
                    self.by_word[min(label_words)].append((index, label_words))

    def for_text(self, text, publisher=None):
        # the narrator is the publisher, or the rules' stand-in for a source that names none
        present = set(words(text)) | set(words(publisher or UNATTRIBUTED))
        chosen = set()
        for word in present & self.by_word.keys():
            chosen.update(index for index, label in self.by_word[word] if label <= present)
        return [self.entries[index] for index in sorted(chosen)]


# How a candidate is shown and kept in the audit log.

def _related_query():
    """Candidates with the public ids of the rows they point at (source, speaker, claim, duplicate_of)."""
    speaker, claim, duplicate = Speaker.alias(), Claim.alias(), Claim.alias()
    return (Candidate.select(Candidate, Source.uid.alias("source_uid"), speaker.uid.alias("speaker_uid"),
                             claim.uid.alias("claim_uid"), duplicate.uid.alias("duplicate_of_uid"))
            .join(Source, on=(Candidate.source == Source.id))
            .switch(Candidate).join(speaker, JOIN.LEFT_OUTER, on=(Candidate.speaker == speaker.id))
            .switch(Candidate).join(claim, JOIN.LEFT_OUTER, on=(Candidate.claim == claim.id))
            .switch(Candidate).join(duplicate, JOIN.LEFT_OUTER, on=(Candidate.duplicate_of == duplicate.id))
            .objects())


def state(row, source_uid, speaker_uid=None, claim_uid=None, duplicate_of_uid=None):
    """The candidate as the audit log keeps it: `likely_duplicates` hold claim ids and scores only."""
    rejection = None
    if row.status == REJECTED:
        rejection = {"reason": row.reason, "note": row.note, "duplicate_of": duplicate_of_uid}
    return {
        "id": row.uid,
        "source_id": source_uid,
        "sentence_index": row.sentence_index,
        "text": row.text,
        "speaker": {"name": row.speaker_name, "id": speaker_uid, "role": row.speaker_role, "kind": row.speaker_kind,
                    "how": row.speaker_how, "confidence": row.speaker_confidence},
        "quote_selector": {"type": "TextQuoteSelector", "exact": row.exact, "prefix": row.prefix,
                           "suffix": row.suffix},
        "position_selector": {"type": "TextPositionSelector", "start": row.start, "end": row.end},
        "check_worthiness": {"score": row.check_worthiness, "signals": row.signals},
        "kind": row.kind,
        "likely_duplicates": list(row.likely_duplicates or []),
        "status": row.status,
        "rejection": rejection,
        "claim_id": claim_uid,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _state_of_joined(row):
    return state(row, row.source_uid, row.speaker_uid, row.claim_uid, row.duplicate_of_uid)


def _shown(states):
    """States as the API shows them: each likely duplicate with the claim's current text and status."""
    wanted = {d["id"] for s in states for d in s["likely_duplicates"]}
    found = {uid: (text, status) for uid, text, status in
             Claim.select(Claim.uid, Claim.text, Claim.status).where(Claim.uid.in_(list(wanted))).tuples()} if wanted else {}
    shown = []
    for s in states:
        duplicates = [{"id": d["id"], "text": found[d["id"]][0], "status": found[d["id"]][1], "score": d["score"]}
                      for d in s["likely_duplicates"] if d["id"] in found]
        shown.append({**s, "likely_duplicates": duplicates})
    return shown


# Reads.

def _row(uid):
    row = _related_query().where(Candidate.uid == uid).first()
    if row is None:
        raise NotFound(f"no candidate with id {uid}")
    return row


def get_candidate(uid):
    [shown] = _shown([_state_of_joined(_row(uid))])
    return shown


def list_candidates(*, limit, cursor=None, source_id=None, status=None, min_check_worthiness=None):
    """A page of candidates in the order they were proposed (a source's in the order of its text)."""
    query = _related_query()
    if source_id:
        query = query.where(Source.uid == source_id)
    if status:
        query = query.where(Candidate.status == status)
    if min_check_worthiness is not None:
        query = query.where(Candidate.check_worthiness >= min_check_worthiness)
    rows, next_cursor = page(query, Candidate.id, limit, cursor)
    return _shown([_state_of_joined(row) for row in rows]), next_cursor


def list_source_candidates(source_id, **filters):
    _source_row(source_id)
    return list_candidates(source_id=source_id, **filters)


def _source_row(uid):
    source = Source.get_or_none(Source.uid == uid)
    if source is None:
        raise NotFound(f"no source with id {uid}")
    return source


# Proposing.

@dataclass
class ExtractionReport:
    source_id: str
    proposed: int  # stored by this run
    already_present: int  # proposed again, stored by an earlier run

    def as_dict(self):
        return {"source_id": self.source_id, "proposed": self.proposed, "already_present": self.already_present}


def _key(sentence_index, start, end, text_sha256):
    return sentence_index, start, end, text_sha256


def _stored_keys(source_id):
    return {_key(*row) for row in Candidate.select(Candidate.sentence_index, Candidate.start, Candidate.end,
                                                    Candidate.text_sha256).where(Candidate.source == source_id).tuples()}


def _likely_duplicates(text):
    return [{"id": claim.uid, "score": score} for claim, score in matching.find_matches(
        text, limit=DUPLICATES_PER_CANDIDATE, min_score=matching.LIKELY_DUPLICATE)]


def _new_row(source, found, speaker_row_id, likely_duplicates):
    quote, speaker = found.quote, found.speaker
    now = utcnow()
    return Candidate(
        uid=new_uid(), source=source.id, sentence_index=found.sentence_index, text=found.text,
        text_sha256=_sha256(found.text), speaker_name=speaker.name, speaker_role=speaker.role,
        speaker_kind=speaker.kind, speaker_how=speaker.how, speaker_confidence=speaker.confidence,
        speaker=speaker_row_id, exact=quote.exact, prefix=quote.prefix, suffix=quote.suffix, start=quote.start,
        end=quote.end, check_worthiness=found.check_worthiness["score"], signals=found.check_worthiness["signals"],
        kind=found.kind, status=PROPOSED, created_at=now, updated_at=now, version=1,
        likely_duplicates=likely_duplicates,
    )


def _check_language(language):
    if language not in LANGUAGES:
        raise Invalid(f"extraction supports {', '.join(LANGUAGES)}, not {language!r}",
                      errors={"language": [f"no extraction pipeline for {language!r}"]})


def propose_for_source(ctx, source_id, *, stored_speakers=None):
    """Run extraction over a stored source now and store the proposals not stored before.

    The text is parsed before the write transaction (it takes a while, and writers queue on that lock);
    the new proposals, their audit events and the record of the run are then written in one transaction,
    so a failure leaves nothing half-written. Likely duplicates are looked for here, once per proposal.
    """
    source = _source_row(source_id)
    _check_language(source.language)
    stored_speakers = stored_speakers or StoredSpeakers()
    sentences = Sentence.select().where(Sentence.source == source.id).order_by(Sentence.index)
    stored = _stored_keys(source.id)
    fresh, seen = [], set()
    for found in iter_candidates(source.text, language=source.language, publisher=source.publisher,
                                 known_speakers=stored_speakers.for_text(source.text, source.publisher),
                                 sentences=sentences.iterator()):
        key = _key(found.sentence_index, found.quote.start, found.quote.end, _sha256(found.text))
        if key in seen:
            continue
        seen.add(key)
        if key not in stored:
            fresh.append((key, found, _likely_duplicates(found.text)))
    with write_transaction():
        stored = _stored_keys(source.id)  # what a run that finished meanwhile stored
        new = [(found, found.speaker.id if found.speaker.id in stored_speakers.row_ids else None, duplicates)
               for key, found, duplicates in fresh if key not in stored]
        rows = [_new_row(source, found, stored_speakers.row_ids.get(speaker_uid), duplicates)
                for found, speaker_uid, duplicates in new]
        Candidate.bulk_create(rows, batch_size=BATCH)
        events = [("candidate", row.uid, "propose", None, state(row, source.uid, speaker_uid), None)
                  for row, (_, speaker_uid, _) in zip(rows, new)]
        for part in chunked(events, BATCH):  # one statement each, within the databases' limits on parameters
            audit.record_many(ctx, part)
        updated = Extraction.update(candidates=len(seen), updated_at=utcnow()).where(Extraction.source == source.id)
        if not updated.execute():
            Extraction.create(source=source.id, candidates=len(seen))
    return ExtractionReport(source.uid, len(rows), len(seen) - len(rows))


def is_extracted(source_id):
    return Extraction.select().join(Source).where(Source.uid == source_id).exists()


def sources_to_extract(*, source_ids=(), again=False, publisher=None):
    """Public ids of the sources `flask extract` runs over: the given ones, or all; those already extracted
    are left out unless `again`, which is how an interrupted run resumes."""
    query = Source.select(Source.uid).order_by(Source.id)
    if source_ids:
        query = query.where(Source.uid.in_(list(source_ids)))
    if publisher:
        query = query.where(Source.publisher == publisher)
    if not again and not source_ids:
        query = query.where(Source.id.not_in(Extraction.select(Extraction.source)))
    return [uid for (uid,) in query.tuples()]


def create_source(ctx, *, extract=False, **fields):
    """Store a source and, when asked, propose its candidates straight after its own transaction has
    committed: the source is stored whether or not extraction then succeeds (it can be run again)."""
    if extract:
        _check_language(fields.get("language", "en"))
    created = sources.create_source(ctx, **fields)
    if extract:
        propose_for_source(ctx, created["id"])
    return created


# Accepting and rejecting.

def _current(speaker):
    """The speaker a stored one was merged into, if it was (merges may come after the proposal)."""
    while speaker is not None and speaker.merged_into_id:
        speaker = Speaker.get_by_id(speaker.merged_into_id)
    return speaker


def _speaker_named(ctx, name, *, role=None, kind="person"):
    """The stored speaker of this name, else a new one."""
    found = _current(Speaker.select().where(Speaker.name == name)
                     .order_by(Speaker.merged_into.is_null(False), Speaker.id).first())
    if found is not None:
        return found.uid
    return speakers.create_speaker(ctx, name=name, role=role, kind=kind)["id"]


def _acceptance_speaker(ctx, row, edits):
    if "speaker_id" in edits:
        return edits["speaker_id"]
    if edits.get("speaker_name"):
        return _speaker_named(ctx, edits["speaker_name"])
    if row.speaker_id:
        return _current(Speaker.get_by_id(row.speaker_id)).uid
    if row.speaker_name:
        return _speaker_named(ctx, row.speaker_name, role=row.speaker_role, kind=row.speaker_kind)
    return None


def _accepted_quote(source, row, quote):
    """The words the claim is anchored to: the proposal's, or the bounds the checker gave (offsets into the
    source text), which must lie inside the candidate's sentence."""
    sentence = sources.get_sentence(source, row.sentence_index)
    start, end = (quote["start"], quote["end"]) if quote else (row.start, row.end)
    if not (sentence.start <= start < end <= sentence.end) or not source.text[start:end].strip():
        raise QuoteNotFound(
            f"the quote [{start}, {end}) is not inside sentence {row.sentence_index} [{sentence.start}, {sentence.end})",
            errors={"quote": [f"must lie within sentence {row.sentence_index}: offsets {sentence.start} to "
                              f"{sentence.end}"]})
    return source.text[start:end].strip()


def _proposed_row(uid, expected_version):
    row = _row(uid)
    check_version(row, expected_version)
    if row.status != PROPOSED:
        raise Conflict(f"candidate {uid} was already {row.status}")
    return row


def accept(ctx, uid, *, expected_version, reason=None, claim_date=None, tags=(), quote=None, **edits):
    """Make the claim the candidate proposes (text, speaker and quote bounds as the checker edited them):
    the claim, a new speaker if one is needed, and the candidate's change commit together or not at all.
    {"candidate": ..., "claim": the stored claim (with its likely duplicates)}."""
    with write_transaction():
        row = _proposed_row(uid, expected_version)
        before = _state_of_joined(row)
        source = Source.get_by_id(row.source_id)
        exact = _accepted_quote(source, row, quote)
        made = claims.create_claim(
            ctx, text=edits.get("text") or row.text, speaker_id=_acceptance_speaker(ctx, row, edits),
            claim_date=claim_date, tags=tags,
            appearance={"source_id": source.uid, "sentence_index": row.sentence_index, "quote": exact})
        claim_uid = made.parsed()["id"]
        row.status = ACCEPTED
        row.claim = Claim.select(Claim.id).where(Claim.uid == claim_uid).scalar()
        next_version(row)
        save_changes(row)
        after = state(row, before["source_id"], before["speaker"]["id"], claim_uid)
        audit.record(ctx, "candidate", uid, "accept", before, after, reason)
    [shown] = _shown([after])
    return {"candidate": shown, "claim": documents.shown_claim_state(made.document)}


def reject(ctx, uid, *, reason, expected_version, note=None, duplicate_of=None):
    """Set the candidate aside with a reason from REJECTION_REASONS; a duplicate names the claim it repeats."""
    if reason == "duplicate" and not duplicate_of:
        raise Invalid("a duplicate names the claim it repeats", errors={"duplicate_of": ["required for duplicate"]})
    if duplicate_of and reason != "duplicate":
        raise Invalid("only a duplicate names a claim", errors={"duplicate_of": ["only with reason duplicate"]})
    with write_transaction():
        row = _proposed_row(uid, expected_version)
        before = _state_of_joined(row)
        if duplicate_of:
            row.duplicate_of = Claim.select(Claim.id).where(Claim.uid == duplicate_of).scalar()
            if row.duplicate_of_id is None:
                raise Invalid(f"no claim with id {duplicate_of}", errors={"duplicate_of": ["no such claim"]})
        row.status, row.reason, row.note = REJECTED, reason, note
        next_version(row)
        save_changes(row)
        after = state(row, before["source_id"], before["speaker"]["id"], None, duplicate_of)
        audit.record(ctx, "candidate", uid, "reject", before, after, note or reason)
    [shown] = _shown([after])
    return shown


def link_curated(ctx, source_id, claim_id, *, sentence_index, speaker_id, start, end, reason):
    """Mark as accepted, linked to an existing claim, the proposed candidate of that sentence and speaker
    whose quote overlaps the claim's most (how seeded claims become their article's accepted candidates).
    The candidate now linked, or None when no proposal fits."""
    if Candidate.select().join(Claim, on=(Candidate.claim == Claim.id)).where(Claim.uid == claim_id).exists():
        return None
    proposals = (_related_query().where((Source.uid == source_id) & (Candidate.sentence_index == sentence_index)
                                        & (Candidate.status == PROPOSED)))
    fitting = [row for row in proposals if row.speaker_uid == speaker_id]
    if not fitting:
        return None
    row = max(fitting, key=lambda r: (min(end, r.end) - max(start, r.start), -r.id))
    before = _state_of_joined(row)
    row.status = ACCEPTED
    row.claim = Claim.select(Claim.id).where(Claim.uid == claim_id).scalar()
    next_version(row)
    save_changes(row)
    after = state(row, source_id, speaker_id, claim_id)
    audit.record(ctx, "candidate", row.uid, "accept", before, after, reason)
    return after
