"""Claims: atomic checkable statements, each anchored to the sentences that carry it.

A claim's state (`state`) is what the audit log snapshots and, as JSON, the document stored in its
row (service/documents.py): every write here sets both from the same dict, in one transaction.
"""
from collections import defaultdict

from peewee import JOIN

from . import audit, documents, matching, search, workflow
from .db import insert_all, write_transaction
from .documents import Stored
from .errors import Invalid, NotFound
from .models import Appearance, Claim, ClaimTag, Review, Sentence, Source, Speaker
from .pagination import decode_cursor, encode_cursor
from .provenance import anchor_quote, check_anchor
from .sources import get_sentence
from .versioning import check_version, next_version, save_changes


def normalise_tags(tags):
    """Trimmed, de-duplicated, in the order given: the same tag twice is one tag."""
    seen = []
    for tag in tags or ():
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def appearance_dict(appearance, source_uid, sentence_index):
    return {
        "id": appearance.uid,
        "source_id": source_uid,
        "sentence_index": sentence_index,
        "quote_selector": {
            "type": "TextQuoteSelector",
            "exact": appearance.exact,
            "prefix": appearance.prefix,
            "suffix": appearance.suffix,
        },
        "position_selector": {"type": "TextPositionSelector", "start": appearance.start, "end": appearance.end},
        "created_at": appearance.created_at,
    }


def _first_appearance_id(dated):
    """The earliest appearance by its source's publication date; undated ones count after dated ones."""
    if not dated:
        return None
    order = sorted(range(len(dated)), key=lambda i: (dated[i][0] is None, dated[i][0] or 0, i))
    return dated[order[0]][1]["id"]


def own_fields(claim, speaker_uid):
    """The claim's own fields, with the speaker by id."""
    return {
        "id": claim.uid,
        "external_id": claim.external_id,
        "text": claim.text,
        "speaker_id": speaker_uid,
        "claim_date": claim.claim_date,
        "status": claim.status,
        "tags": list(claim.tags or []),
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "version": claim.version,
    }


def state(claim, dated_appearances, speaker_uid):
    """The claim as the audit log keeps it and its document holds it: `dated_appearances` are
    (the source's publication date, appearance dict) in the order recorded."""
    return {
        **own_fields(claim, speaker_uid),
        "appearances": [a for _, a in dated_appearances],
        "first_appearance_id": _first_appearance_id(dated_appearances),
    }


def store_document(claim, claim_state):
    claim.document = documents.encode(claim_state)
    return claim_state


def dated_appearances(claim_ids):
    """{claim id: [(publication date, appearance dict)]} of these claims, in the order recorded."""
    rows = (Appearance.select(Appearance, Source.uid, Source.published_date, Sentence.index)
            .join(Source, on=(Appearance.source == Source.id)).switch(Appearance)
            .join(Sentence, on=(Appearance.sentence == Sentence.id))
            .where(Appearance.claim.in_(list(claim_ids))).order_by(Appearance.id))
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.claim_id].append(
            (row.source.published_date, appearance_dict(row, row.source.uid, row.sentence.index)))
    return grouped


def computed_states(claim_rows):
    """What the states of these claims are by their rows (appearances, speaker), whatever their documents
    say: how documents are filled in for stored claims, and how tests check the stored ones."""
    claim_rows = list(claim_rows)
    appearances = dated_appearances(c.id for c in claim_rows)
    speaker_uids = dict(Speaker.select(Speaker.id, Speaker.uid)
                        .where(Speaker.id.in_([c.speaker_id for c in claim_rows if c.speaker_id])).tuples())
    return [state(c, appearances.get(c.id, []), speaker_uids.get(c.speaker_id)) for c in claim_rows]


# Reads: a claim is shown from its stored document and its speaker's, in one query.

def _shown_query():
    return (Claim.select(Claim.id, Claim.version, Claim.document, Speaker.document)
            .join(Speaker, JOIN.LEFT_OUTER, on=(Claim.speaker == Speaker.id)))


def get_claim(uid):
    found = _shown_query().where(Claim.uid == uid).tuples().first()
    if found is None:
        raise NotFound(f"no claim with id {uid}")
    _, version, claim_document, speaker_document = found
    return Stored(documents.claim_shown(claim_document, speaker_document), version)


def shown_by_ids(ids, **extra_of):
    """{claim id: the claim shown, as JSON text} for these claims; `extra_of` maps a member's name to
    {claim id: its value} for members joined in beside the document (a search's snippet)."""
    rows = _shown_query().where(Claim.id.in_(list(ids))).tuples()
    return {claim_id: documents.claim_shown(claim_document, speaker_document,
                                            **{name: values.get(claim_id) for name, values in extra_of.items()})
            for claim_id, _, claim_document, speaker_document in rows}


def shown_states(ids):
    """These claims as the API shows them, as Python values, in the order of `ids`."""
    shown = shown_by_ids(ids)
    return [documents.shown_claim_state(shown[claim_id]) for claim_id in ids]


def claim_row(uid):
    """The claim's row, for a write."""
    claim = Claim.get_or_none(Claim.uid == uid)
    if claim is None:
        raise NotFound(f"no claim with id {uid}")
    return claim


def get_claim_as_of(uid, moment):
    """The claim exactly as it stood at `moment`, rebuilt from the audit log, its speaker likewise."""
    claim_row(uid)
    found = audit.state_at("claim", uid, moment)
    if found is None:
        raise NotFound(f"claim {uid} did not exist yet at {moment.isoformat()}Z")
    view = documents.claim_state(found)
    speaker = audit.state_at("speaker", found["speaker_id"], moment) if found["speaker_id"] else None
    view["speaker"] = documents.speaker_state(speaker) if speaker else None
    return view


def filtered(query, *, status=None, speaker_id=None, source_id=None, tag=None, date_from=None, date_to=None,
             updated_since=None):
    """`query` (of claims) narrowed to those matching every given filter. Each filter has an index
    behind it (see service/models.py): status (status, id), speaker (speaker, id), source (appearance
    source, claim), tag (tag, claim), updated_at; claim_date ranges scan within what the others leave."""
    workflow.check_status_filter(status)
    if status:
        query = query.where(Claim.status == status)
    if speaker_id:
        query = query.where(Claim.speaker.in_(Speaker.select(Speaker.id).where(Speaker.uid == speaker_id)))
    if source_id:
        query = query.where(Claim.id.in_(Appearance.select(Appearance.claim).join(Source)
                                         .where(Source.uid == source_id)))
    if tag:
        # A join, not `id IN (claims with the tag)`: SQLite built and sorted that whole set before taking
        # a page; joined, it walks (status, id) and probes the unique (tag, claim) index until the page is full.
        query = query.join_from(Claim, ClaimTag, on=(ClaimTag.claim == Claim.id)).where(ClaimTag.tag == tag)
    if date_from:
        query = query.where(Claim.claim_date >= date_from)
    if date_to:
        query = query.where(Claim.claim_date <= date_to)
    if updated_since:
        query = query.where(Claim.updated_at >= updated_since)
    return query


def list_claims(*, limit, cursor=None, q=None, **filters):
    """A page of claims shown as JSON text: oldest first, or with `q` ranked by relevance, each with a
    highlighted snippet. ([text], next_cursor)."""
    if q:
        scope = filtered(Claim.select(Claim.id), **filters) if any(filters.values()) else None
        hits, next_cursor = search.ranked(q, scope, limit=limit, cursor=cursor)
        shown = shown_by_ids([claim_id for claim_id, _ in hits], snippet=dict(hits))
        return [shown[claim_id] for claim_id, _ in hits], next_cursor
    query = filtered(_shown_query(), **filters)
    if cursor:
        query = query.where(Claim.id > decode_cursor(cursor))
    rows = list(query.order_by(Claim.id).limit(limit + 1).tuples())
    shown = [documents.claim_shown(claim_document, speaker_document) for _, _, claim_document, speaker_document
             in rows[:limit]]
    return shown, (encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None)


# Writes: each in one write transaction with its audit event; the document is the event's `after`.

def _speaker_of(speaker_uid):
    """The row id of a speaker a claim may name (None for none)."""
    if speaker_uid is None:
        return None
    speaker = Speaker.get_or_none(Speaker.uid == speaker_uid)
    if speaker is None:
        raise Invalid(f"no speaker with id {speaker_uid}", errors={"speaker_id": ["no such speaker"]})
    if speaker.merged_into_id:
        raise Invalid(f"speaker {speaker_uid} was merged into {speaker.merged_into.uid}: use that one",
                      errors={"speaker_id": ["merged into another speaker"]})
    return speaker.id


def _anchor(claim, source_uid, sentence_index, quote):
    """Store where the claim appears: (publication date, appearance dict), and the sentence's text."""
    source = Source.get_or_none(Source.uid == source_uid)
    if source is None:
        raise Invalid(f"no source with id {source_uid}", errors={"source_id": ["no such source"]})
    try:
        sentence = get_sentence(source, sentence_index)
    except NotFound as missing:
        raise Invalid(missing.detail, errors={"sentence_index": ["no such sentence in that source"]}) from None
    anchor = anchor_quote(source.text, sentence, quote)
    appearance = Appearance.create(
        claim=claim.id, source=source.id, sentence=sentence.id,
        exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start, end=anchor.end,
    )
    return (source.published_date, appearance_dict(appearance, source.uid, sentence.index)), sentence.text


def write_tag_rows(claim_ids_and_tags, *, replace):
    """The tag rows of these claims ((claim id, tags) pairs), written again when `replace`."""
    pairs = list(claim_ids_and_tags)
    if replace and pairs:
        ClaimTag.delete().where(ClaimTag.claim.in_([claim_id for claim_id, _ in pairs])).execute()
    insert_all(ClaimTag, [{"claim": claim_id, "tag": tag} for claim_id, tags in pairs for tag in tags])


def match(text, *, limit):
    """Stored claims most likely the same as `text`, best first, each with its score."""
    found = matching.find_matches(text, limit=limit)
    shown = shown_states([candidate.id for candidate, _ in found])
    return [{"claim": view, "score": score} for view, (_, score) in zip(shown, found)]


def create_claim(ctx, *, text, appearance, speaker_id=None, claim_date=None, tags=()):
    """The new claim, with the stored claims it likely duplicates (looked for before it is stored)."""
    duplicates = [
        {"id": claim.uid, "text": claim.text, "status": claim.status, "score": score}
        for claim, score in matching.find_matches(text, limit=5, min_score=matching.LIKELY_DUPLICATE)
    ]
    with write_transaction():
        claim = Claim.create(text=text, speaker=_speaker_of(speaker_id), claim_date=claim_date,
                             tags=normalise_tags(tags))
        write_tag_rows([(claim.id, claim.tags)], replace=False)
        dated, sentence_text = _anchor(claim, appearance["source_id"], appearance["sentence_index"],
                                       appearance.get("quote"))
        after = store_document(claim, state(claim, [dated], speaker_id))
        Claim.update(document=claim.document).where(Claim.id == claim.id).execute()
        search.index_new([(claim.id, claim.text, search.quotes_text([sentence_text]))])
        audit.record(ctx, "claim", claim.uid, "create", None, after)
    return Stored(documents.claim_shown(claim.document, _speaker_document(claim), likely_duplicates=duplicates),
                  claim.version)


def _speaker_document(claim):
    return Speaker.select(Speaker.document).where(Speaker.id == claim.speaker_id).scalar() if claim.speaker_id else None


def _changed(ctx, claim, action, before, after, reason):
    """Save the claim's next version with its document, and record the change."""
    store_document(claim, after)
    save_changes(claim)
    audit.record(ctx, "claim", claim.uid, action, before, after, reason)
    return Stored(documents.claim_shown(claim.document, _speaker_document(claim)), claim.version)


def update_claim(ctx, uid, changes, *, expected_version, reason=None):
    with write_transaction():
        claim = claim_row(uid)
        check_version(claim, expected_version)
        before = documents.claim_state(claim.document)
        speaker_uid = before["speaker_id"]
        if "text" in changes:
            claim.text = changes["text"]
        if "speaker_id" in changes:
            claim.speaker, speaker_uid = _speaker_of(changes["speaker_id"]), changes["speaker_id"]
        if "claim_date" in changes:
            claim.claim_date = changes["claim_date"]
        if "tags" in changes:
            claim.tags = normalise_tags(changes["tags"])
            write_tag_rows([(claim.id, claim.tags)], replace=True)
        next_version(claim)
        if "text" in changes:
            search.reindex([(claim.id, claim.text, search.quotes_of(claim.id))])
        return _changed(ctx, claim, "update", before, {**before, **own_fields(claim, speaker_uid)}, reason)


def add_appearance(ctx, uid, *, source_id, sentence_index, quote=None, expected_version, reason=None):
    with write_transaction():
        claim = claim_row(uid)
        check_version(claim, expected_version)
        before = documents.claim_state(claim.document)
        _anchor(claim, source_id, sentence_index, quote)
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
    return Stored(documents.claim_shown(claim.document, _speaker_document(claim)), claim.version)


def history(uid, *, limit, cursor=None):
    """The claim's own events and those of its reviews, in log order."""
    claim = claim_row(uid)
    review_ids = Review.select(Review.uid).where(Review.claim == claim.id)
    return audit.history("claim", uid, related=("review", review_ids), limit=limit, cursor=cursor)


def provenance(uid):
    """The claim and, for each appearance, its sentence, its source and whether the quote still holds."""
    stored = get_claim(uid)
    rows = (
        Appearance.select(Appearance, Sentence, Source)
        .join(Sentence, on=(Appearance.sentence == Sentence.id))
        .switch(Appearance)
        .join(Source, on=(Appearance.source == Source.id))
        .where(Appearance.claim == claim_row(uid).id)
        .order_by(Appearance.id)
    )
    links = []
    for row in rows:
        links.append({
            "appearance": appearance_dict(row, row.source.uid, row.sentence.index),
            "sentence": {"index": row.sentence.index, "start": row.sentence.start,
                         "end": row.sentence.end, "text": row.sentence.text},
            "source": {"id": row.source.uid, "title": row.source.title, "url": row.source.url,
                       "publisher": row.source.publisher, "published_date": row.source.published_date,
                       "language": row.source.language, "sha256": row.source.sha256},
            "check": check_anchor(row.source.text, row.source.sha256, row),
        })
    return {"claim": documents.shown_claim_state(stored.document), "appearances": links,
            "verified": all(link["check"]["verified"] for link in links)}
