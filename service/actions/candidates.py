"""Candidate writes: proposing a source's candidates, accepting one (its claim is made through the claims'
own write, in the same transaction) and rejecting one with a reason, each with its audit events."""
import logging
from dataclasses import dataclass

from peewee import chunked

from ..clock import utcnow
from ..errors import Conflict, Invalid, QuoteNotFound
from ..rules import documents
from ..rules.candidates import (ACCEPTED, DUPLICATES_PER_CANDIDATE, PROPOSED, REJECTED, proposal_key,
                                state, text_sha256)
from ..rules.extraction.candidates import LANGUAGES, iter_candidates
from ..rules.matching import LIKELY_DUPLICATE
from ..rules.provenance import occurrence_at
from ..store import audit
from ..store.candidates import (StoredSpeakers, candidate_row, current_speaker, new_row, related_query, as_shown,
                                state_of_joined, stored_keys)
from ..store.db import create, write_transaction
from ..store.models import Candidate, Claim, Extraction, Sentence, Source, Speaker
from ..store.search import find_matches
from ..store.sources import get_sentence, source_row
from ..store.versioning import check_version, next_version, save_changes
from . import claims, sources, speakers

BATCH = 200  # rows to a statement when storing a run's proposals
log = logging.getLogger(__name__)


@dataclass
class ExtractionReport:
    source_id: str
    proposed: int  # stored by this run
    already_present: int  # proposed again, stored by an earlier run

    def as_dict(self):
        return {"source_id": self.source_id, "proposed": self.proposed, "already_present": self.already_present}


def _likely_duplicates(text):
    return [{"id": claim.uid, "score": score} for claim, score in find_matches(
        text, limit=DUPLICATES_PER_CANDIDATE, min_score=LIKELY_DUPLICATE)]


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
    source = source_row(source_id)
    _check_language(source.language)
    stored_speakers = stored_speakers or StoredSpeakers()
    sentences = Sentence.select().where(Sentence.source == source.id).order_by(Sentence.index)
    stored = stored_keys(source.id)
    fresh, seen = [], set()
    for found in iter_candidates(source.text, language=source.language, publisher=source.publisher,
                                 known_speakers=stored_speakers.for_text(source.text, source.publisher),
                                 sentences=sentences.iterator()):
        key = proposal_key(found.sentence_index, found.quote.start, found.quote.end, text_sha256(found.text))
        if key in seen:
            continue
        seen.add(key)
        if key not in stored:
            fresh.append((key, found, _likely_duplicates(found.text)))
    with write_transaction():
        stored = stored_keys(source.id)  # what a run that finished meanwhile stored
        new = [(found, found.speaker.id if found.speaker.id in stored_speakers.row_ids else None, duplicates)
               for key, found, duplicates in fresh if key not in stored]
        rows = [new_row(source, found, stored_speakers.row_ids.get(speaker_uid), duplicates)
                for found, speaker_uid, duplicates in new]
        Candidate.bulk_create(rows, batch_size=BATCH)
        events = [("candidate", row.uid, "propose", None, state(row, source.uid, speaker_uid), None)
                  for row, (_, speaker_uid, _) in zip(rows, new)]
        for part in chunked(events, BATCH):  # one statement each, within the databases' limits on parameters
            audit.record_many(ctx, part)
        updated = Extraction.update(candidates=len(seen), updated_at=utcnow()).where(Extraction.source == source.id)
        if not updated.execute():
            create(Extraction, source=source.id, candidates=len(seen))
    return ExtractionReport(source.uid, len(rows), len(seen) - len(rows))


def create_source(ctx, *, extract=None, extract_up_to=0, **fields):
    """Store a source, then propose its candidates once its own transaction has committed: when asked
    (`extract` true), or, unless told not to (false), for a source in a supported language of at most
    `extract_up_to` characters. The source is stored whether or not extraction then succeeds. A failure of
    an extraction nobody asked for is logged and answered with `extraction` null: `flask extract` will
    find the source; one that was asked for is the request's error."""
    language = fields.get("language", "en")
    if extract:
        _check_language(language)
    asked = extract is True
    if extract is None:
        extract = language in LANGUAGES and len(fields["text"]) <= extract_up_to
    created = sources.create_source(ctx, **fields)
    report = None
    if extract:
        try:
            report = propose_for_source(ctx, created["id"]).as_dict()
        except Exception:
            if asked:
                raise
            log.exception("extraction on store failed; source %s is stored without candidates", created["id"])
    return {**created, "extraction": report}


def _speaker_named(ctx, name, *, role=None, kind="person"):
    """The stored speaker of this name, else a new one."""
    found = current_speaker(Speaker.select().where(Speaker.name == name)
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
        return current_speaker(Speaker.get_by_id(row.speaker_id)).uid
    if row.speaker_name:
        return _speaker_named(ctx, row.speaker_name, role=row.speaker_role, kind=row.speaker_kind)
    return None


def _accepted_quote(source, row, quote):
    """The words the claim is anchored to and which of their occurrences in the sentence: the proposal's,
    or the bounds the checker gave (offsets into the source text), which must lie inside its sentence."""
    sentence = get_sentence(source, row.sentence_index)
    start, end = (quote["start"], quote["end"]) if quote else (row.start, row.end)
    if not (sentence.start <= start < end <= sentence.end) or not source.text[start:end].strip():
        raise QuoteNotFound(
            f"the quote [{start}, {end}) is not inside sentence {row.sentence_index} [{sentence.start}, {sentence.end})",
            errors={"quote": [f"must lie within sentence {row.sentence_index}: offsets {sentence.start} to "
                              f"{sentence.end}"]})
    exact = source.text[start:end]
    stripped = exact.strip()
    begins = start + len(exact) - len(exact.lstrip()) - sentence.start
    return stripped, occurrence_at(sentence.text, stripped, begins)


def _proposed_row(uid, expected_version):
    row = candidate_row(uid)
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
        before = state_of_joined(row)
        source = Source.get_by_id(row.source_id)
        exact, occurrence = _accepted_quote(source, row, quote)
        made = claims.create_claim(
            ctx, text=edits.get("text") or row.text, speaker_id=_acceptance_speaker(ctx, row, edits),
            claim_date=claim_date, tags=tags,
            appearance={"source_id": source.uid, "sentence_index": row.sentence_index, "quote": exact,
                        "occurrence": occurrence})
        claim_uid = made.parsed()["id"]
        row.status = ACCEPTED
        row.claim = Claim.select(Claim.id).where(Claim.uid == claim_uid).scalar()
        next_version(row)
        save_changes(row)
        after = state(row, before["source_id"], before["speaker"]["id"], claim_uid)
        audit.record(ctx, "candidate", uid, "accept", before, after, reason)
    [shown] = as_shown([after])
    return {"candidate": shown, "claim": documents.shown_claim_state(made.document)}


def reject(ctx, uid, *, reason, expected_version, note=None, duplicate_of=None):
    """Set the candidate aside with a reason from REJECTION_REASONS; a duplicate names the claim it repeats."""
    if reason == "duplicate" and not duplicate_of:
        raise Invalid("a duplicate names the claim it repeats", errors={"duplicate_of": ["required for duplicate"]})
    if duplicate_of and reason != "duplicate":
        raise Invalid("only a duplicate names a claim", errors={"duplicate_of": ["only with reason duplicate"]})
    with write_transaction():
        row = _proposed_row(uid, expected_version)
        before = state_of_joined(row)
        if duplicate_of:
            row.duplicate_of = Claim.select(Claim.id).where(Claim.uid == duplicate_of).scalar()
            if row.duplicate_of_id is None:
                raise Invalid(f"no claim with id {duplicate_of}", errors={"duplicate_of": ["no such claim"]})
        row.status, row.reason, row.note = REJECTED, reason, note
        next_version(row)
        save_changes(row)
        after = state(row, before["source_id"], before["speaker"]["id"], None, duplicate_of)
        audit.record(ctx, "candidate", uid, "reject", before, after, note or reason)
    [shown] = as_shown([after])
    return shown


def link_curated(ctx, source_id, claim_id, *, sentence_index, speaker_id, start, end, reason):
    """Mark as accepted, linked to an existing claim, the proposed candidate of that sentence and speaker
    whose quote overlaps the claim's most (how seeded claims become their article's accepted candidates).
    The candidate now linked, or None when no proposal fits."""
    if Candidate.select().join(Claim, on=(Candidate.claim == Claim.id)).where(Claim.uid == claim_id).exists():
        return None
    proposals = (related_query().where((Source.uid == source_id) & (Candidate.sentence_index == sentence_index)
                                        & (Candidate.status == PROPOSED)))
    fitting = [row for row in proposals if row.speaker_uid == speaker_id]
    if not fitting:
        return None
    row = max(fitting, key=lambda r: (min(end, r.end) - max(start, r.start), -r.id))
    before = state_of_joined(row)
    row.status = ACCEPTED
    row.claim = Claim.select(Claim.id).where(Claim.uid == claim_id).scalar()
    next_version(row)
    save_changes(row)
    after = state(row, source_id, speaker_id, claim_id)
    audit.record(ctx, "candidate", row.uid, "accept", before, after, reason)
    return after
