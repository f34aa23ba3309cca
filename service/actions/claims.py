"""Claim writes: each in one write transaction with its audit event, whose `after` is the state the
claim's stored document holds."""
from ..errors import Invalid, NotFound
from ..rules import documents, workflow
from ..rules import matching
from ..rules.claims import appearance_dict, normalise_tags, own_fields, state
from ..rules.documents import Stored
from ..rules.provenance import anchor_quote
from ..store import audit, search
from ..store.claims import (speaker_document, speaker_row_id, claim_row, dated_appearances, shown_states,
                            store_document, write_tag_rows)
from ..store.db import create, write_transaction
from ..store.models import Appearance, Claim, Source
from ..store.sources import get_sentence
from ..store.versioning import check_version, next_version, save_changes


def _anchor(claim, source_uid, sentence_index, quote, occurrence=1):
    """Store where the claim appears: (publication date, appearance dict), and the sentence's text."""
    source = Source.get_or_none(Source.uid == source_uid)
    if source is None:
        raise Invalid(f"no source with id {source_uid}", errors={"source_id": ["no such source"]})
    try:
        sentence = get_sentence(source, sentence_index)
    except NotFound as missing:
        raise Invalid(missing.detail, errors={"sentence_index": ["no such sentence in that source"]}) from None
    anchor = anchor_quote(source.text, sentence, quote, occurrence)
    appearance = create(
        Appearance, claim=claim.id, source=source.id, sentence=sentence.id,
        exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start, end=anchor.end,
    )
    return (source.published_date, appearance_dict(appearance, source.uid, sentence.index)), sentence.text


def match(text, *, limit):
    """Stored claims most likely the same as `text`, best first, each with its score."""
    found = search.find_matches(text, limit=limit)
    shown = shown_states([candidate.id for candidate, _ in found])
    return [{"claim": view, "score": score} for view, (_, score) in zip(shown, found)]


def create_claim(ctx, *, text, appearance, speaker_id=None, claim_date=None, tags=()):
    """The new claim, with the stored claims it likely duplicates (looked for before it is stored)."""
    duplicates = [
        {"id": claim.uid, "text": claim.text, "status": claim.status, "score": score}
        for claim, score in search.find_matches(text, limit=5, min_score=matching.LIKELY_DUPLICATE)
    ]
    with write_transaction():
        claim = create(Claim, text=text, speaker=speaker_row_id(speaker_id), claim_date=claim_date,
                       tags=normalise_tags(tags))
        write_tag_rows([(claim.id, claim.tags)], replace=False)
        dated, sentence_text = _anchor(claim, appearance["source_id"], appearance["sentence_index"],
                                       appearance.get("quote"), appearance.get("occurrence", 1))
        after = store_document(claim, state(claim, [dated], speaker_id))
        Claim.update(document=claim.document).where(Claim.id == claim.id).execute()
        search.index_new([(claim.id, claim.text, search.quotes_text([sentence_text]))])
        audit.record(ctx, "claim", claim.uid, "create", None, after)
    return Stored(documents.claim_shown(claim.document, speaker_document(claim), likely_duplicates=duplicates),
                  claim.version)


def _changed(ctx, claim, action, before, after, reason):
    """Save the claim's next version with its document, and record the change."""
    store_document(claim, after)
    save_changes(claim)
    audit.record(ctx, "claim", claim.uid, action, before, after, reason)
    return Stored(documents.claim_shown(claim.document, speaker_document(claim)), claim.version)


def update_claim(ctx, uid, changes, *, expected_version, reason=None):
    with write_transaction():
        claim = claim_row(uid)
        check_version(claim, expected_version)
        before = documents.claim_state(claim.document)
        speaker_uid = before["speaker_id"]
        if "text" in changes:
            claim.text = changes["text"]
        if "speaker_id" in changes:
            claim.speaker, speaker_uid = speaker_row_id(changes["speaker_id"]), changes["speaker_id"]
        if "claim_date" in changes:
            claim.claim_date = changes["claim_date"]
        if "tags" in changes:
            claim.tags = normalise_tags(changes["tags"])
            write_tag_rows([(claim.id, claim.tags)], replace=True)
        next_version(claim)
        if "text" in changes:
            search.reindex([(claim.id, claim.text, search.quotes_of(claim.id))])
        return _changed(ctx, claim, "update", before, {**before, **own_fields(claim, speaker_uid)}, reason)


def add_appearance(ctx, uid, *, source_id, sentence_index, quote=None, occurrence=1, expected_version, reason=None):
    with write_transaction():
        claim = claim_row(uid)
        check_version(claim, expected_version)
        before = documents.claim_state(claim.document)
        _anchor(claim, source_id, sentence_index, quote, occurrence)
        next_version(claim)
        search.reindex([(claim.id, claim.text, search.quotes_of(claim.id))])
        after = state(claim, dated_appearances([claim.id])[claim.id], before["speaker_id"])
        return _changed(ctx, claim, "appearance_added", before, after, reason)


def change_status(claim, target, *, reason, action):
    """The one place a claim's status moves. Checks the transition before the caller takes the write lock
    (writers queue on it, so it is held for the writes alone); returns the step to run inside the write
    transaction, which saves the next version and gives the change for the audit log. Should the claim
    move on in between, the versioned update refuses (412)."""
    workflow.check_transition(claim.status, target)
    if workflow.needs_reason(claim.status, target) and not reason:
        raise Invalid(f"moving a {claim.status} claim to {target} needs a reason",
                      errors={"reason": ["required for this transition"]})
    before = documents.claim_state(claim.document)

    def apply():
        claim.status = target
        next_version(claim)
        after = store_document(claim, {**before, "status": target, "version": claim.version,
                                        "updated_at": claim.updated_at})
        save_changes(claim)
        return "claim", claim.uid, action, before, after, reason

    return apply


def move_claims(ctx, from_speaker, to_speaker, *, reason):
    """Give every claim of one speaker to another, each as a recorded change (speaker merges use it)."""
    for claim in Claim.select().where(Claim.speaker == from_speaker.id).order_by(Claim.id):
        before = documents.claim_state(claim.document)
        claim.speaker = to_speaker.id
        next_version(claim)
        after = store_document(claim, {**before, **own_fields(claim, to_speaker.uid)})
        save_changes(claim)
        audit.record(ctx, "claim", claim.uid, "update", before, after, reason)


def retract_claim(ctx, uid, *, reason, expected_version):
    claim = claim_row(uid)
    check_version(claim, expected_version)
    retract = change_status(claim, workflow.RETRACTED, reason=reason, action="retract")
    with write_transaction():
        audit.record(ctx, *retract())
    return Stored(documents.claim_shown(claim.document, speaker_document(claim)), claim.version)
