"""Candidates' queries: a candidate with the public ids of what it points at, pages of them, and the
stored speakers extraction may match."""
from collections import defaultdict

from peewee import JOIN

from ..clock import utcnow
from ..errors import NotFound
from ..rules.candidates import PROPOSED, proposal_key, state, text_sha256
from ..rules.extraction.speakers import UNATTRIBUTED, words
from .models import Candidate, Claim, Extraction, Source, Speaker, new_uid
from .paging import page
from .sources import source_row


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


def related_query():
    """Candidates with the public ids of the rows they point at (source, speaker, claim, duplicate_of)."""
    speaker, claim, duplicate = Speaker.alias(), Claim.alias(), Claim.alias()
    return (Candidate.select(Candidate, Source.uid.alias("source_uid"), speaker.uid.alias("speaker_uid"),
                             claim.uid.alias("claim_uid"), duplicate.uid.alias("duplicate_of_uid"))
            .join(Source, on=(Candidate.source == Source.id))
            .switch(Candidate).join(speaker, JOIN.LEFT_OUTER, on=(Candidate.speaker == speaker.id))
            .switch(Candidate).join(claim, JOIN.LEFT_OUTER, on=(Candidate.claim == claim.id))
            .switch(Candidate).join(duplicate, JOIN.LEFT_OUTER, on=(Candidate.duplicate_of == duplicate.id))
            .objects())


def state_of_joined(row):
    return state(row, row.source_uid, row.speaker_uid, row.claim_uid, row.duplicate_of_uid)


def as_shown(states):
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


def candidate_row(uid):
    row = related_query().where(Candidate.uid == uid).first()
    if row is None:
        raise NotFound(f"no candidate with id {uid}")
    return row


def get_candidate(uid):
    [shown] = as_shown([state_of_joined(candidate_row(uid))])
    return shown


def list_candidates(*, limit, cursor=None, source_id=None, status=None, min_check_worthiness=None):
    """A page of candidates in the order they were proposed (a source's in the order of its text)."""
    query = related_query()
    if source_id:
        query = query.where(Source.uid == source_id)
    if status:
        query = query.where(Candidate.status == status)
    if min_check_worthiness is not None:
        query = query.where(Candidate.check_worthiness >= min_check_worthiness)
    rows, next_cursor = page(query, Candidate.id, limit, cursor)
    return as_shown([state_of_joined(row) for row in rows]), next_cursor


def list_source_candidates(source_id, **filters):
    source_row(source_id)
    return list_candidates(source_id=source_id, **filters)


def stored_keys(source_id):
    return {proposal_key(*row) for row in Candidate.select(Candidate.sentence_index, Candidate.start, Candidate.end,
                                                    Candidate.text_sha256).where(Candidate.source == source_id).tuples()}


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


def new_row(source, found, speaker_row_id, likely_duplicates):
    quote, speaker = found.quote, found.speaker
    now = utcnow()
    return Candidate(
        uid=new_uid(), source=source.id, sentence_index=found.sentence_index, text=found.text,
        text_sha256=text_sha256(found.text), speaker_name=speaker.name, speaker_role=speaker.role,
        speaker_kind=speaker.kind, speaker_how=speaker.how, speaker_confidence=speaker.confidence,
        speaker=speaker_row_id, exact=quote.exact, prefix=quote.prefix, suffix=quote.suffix, start=quote.start,
        end=quote.end, check_worthiness=found.check_worthiness["score"], signals=found.check_worthiness["signals"],
        kind=found.kind, status=PROPOSED, created_at=now, updated_at=now, version=1,
        likely_duplicates=likely_duplicates,
    )


def current_speaker(speaker):
    """The speaker a stored one was merged into, if it was (merges may come after the proposal)."""
    while speaker is not None and speaker.merged_into_id:
        speaker = Speaker.get_by_id(speaker.merged_into_id)
    return speaker
