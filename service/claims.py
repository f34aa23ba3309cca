"""Claims: atomic checkable statements, each anchored to the sentences that carry it.

Rules hand claims out as plain dicts (`represent`), the same shape the audit log snapshots, so a
claim read today and a claim rebuilt from its history are dumped by the same schema.
"""
from collections import defaultdict
from datetime import date, datetime

from . import audit, claim_queries, matching, search, speakers, workflow
from .db import get_row, select, write_transaction
from .errors import Invalid, NotFound
from .models import Appearance, Claim, ClaimTag, Review, Sentence, Source, Speaker
from .provenance import anchor_quote, check_anchor
from .sources import get_sentence
from .versioning import bump_version, check_version


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


def _appearances_by_claim(claim_ids):
    """Every appearance of these claims in the order recorded, each with its source's publication date."""
    grouped = defaultdict(list)
    for row in claim_queries.appearances(claim_ids):
        grouped[row.claim_id].append((row.published_date, appearance_dict(row, row.source_uid, row.sentence_index)))
    return grouped


def _first_appearance_id(dated):
    """The earliest appearance by its source's publication date; undated ones count after dated ones."""
    if not dated:
        return None
    order = sorted(range(len(dated)), key=lambda i: (dated[i][0] is None, dated[i][0] or 0, i))
    return dated[order[0]][1]["id"]


def state(claim, dated_appearances, speaker_uid):
    """The claim as the audit log keeps it: every field, with the speaker by id."""
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
        "appearances": [a for _, a in dated_appearances],
        "first_appearance_id": _first_appearance_id(dated_appearances),
    }


def represent(claims):
    """Claims (models or ClaimRows) as the API shows them, speaker embedded; three queries however many."""
    claims = list(claims)
    appearances = _appearances_by_claim([c.id for c in claims])
    people = claim_queries.speakers({c.speaker_id for c in claims if c.speaker_id})
    shown = []
    for claim in claims:
        speaker = people.get(claim.speaker_id)
        view = state(claim, appearances.get(claim.id, []), speaker.uid if speaker else None)
        view["speaker"] = speakers.snapshot(speaker) if speaker else None
        shown.append(view)
    return shown


def _snapshot_parts(claim):
    """What a snapshot needs besides the claim's own row: its dated appearances and its speaker's id."""
    speaker = select("SELECT uid FROM speaker WHERE id = ?", (claim.speaker_id,)) if claim.speaker_id else [(None,)]
    return _appearances_by_claim([claim.id]).get(claim.id, []), speaker[0][0]


def snapshot(claim):
    return state(claim, *_snapshot_parts(claim))


def claim_row(uid):
    """The claim's model, for a write."""
    claim = get_row(Claim, "uid", uid)
    if claim is None:
        raise NotFound(f"no claim with id {uid}")
    return claim


def get_claim(uid):
    claim = claim_queries.by_uid(uid)
    if claim is None:
        raise NotFound(f"no claim with id {uid}")
    return represent([claim])[0]


def _parse_times(state, datetimes=("created_at", "updated_at"), dates=("claim_date",)):
    """Snapshots come back from the audit log as JSON; give their times their types again."""
    state = dict(state)
    for name in datetimes:
        if state.get(name):
            state[name] = datetime.fromisoformat(state[name])
    for name in dates:
        if state.get(name):
            state[name] = date.fromisoformat(state[name])
    return state


def get_claim_as_of(uid, moment):
    """The claim exactly as it stood at `moment`, rebuilt from the audit log, its speaker likewise."""
    claim_row(uid)
    state = audit.state_at("claim", uid, moment)
    if state is None:
        raise NotFound(f"claim {uid} did not exist yet at {moment.isoformat()}Z")
    view = _parse_times(state)
    view["appearances"] = [_parse_times(a, dates=()) for a in state["appearances"]]
    speaker = audit.state_at("speaker", state["speaker_id"], moment) if state["speaker_id"] else None
    view["speaker"] = _parse_times(speaker, dates=()) if speaker else None
    return view


def _speaker_pk(speaker_uid):
    if speaker_uid is None:
        return None
    speaker = Speaker.get_or_none(Speaker.uid == speaker_uid)
    if speaker is None:
        raise Invalid(f"no speaker with id {speaker_uid}", errors={"speaker_id": ["no such speaker"]})
    if speaker.merged_into_id:
        raise Invalid(f"speaker {speaker_uid} was merged into {speaker.merged_into.uid}: use that one",
                      errors={"speaker_id": ["merged into another speaker"]})
    return speaker.id


def _anchor(claim, source_uid, sentence_index, quote, occurrence=1):
    source = Source.get_or_none(Source.uid == source_uid)
    if source is None:
        raise Invalid(f"no source with id {source_uid}", errors={"source_id": ["no such source"]})
    try:
        sentence = get_sentence(source, sentence_index)
    except NotFound as missing:
        raise Invalid(missing.detail, errors={"sentence_index": ["no such sentence in that source"]}) from None
    anchor = anchor_quote(source.text, sentence, quote, occurrence)
    return Appearance.create(
        claim=claim.id, source=source.id, sentence=sentence.id,
        exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start, end=anchor.end,
    )


def _write_tag_rows(claim):
    ClaimTag.delete().where(ClaimTag.claim == claim.id).execute()
    if claim.tags:
        ClaimTag.insert_many([{"claim": claim.id, "tag": t} for t in claim.tags]).execute()


def match(text, *, limit):
    """Stored claims most likely the same as `text`, best first, each with its score."""
    found = matching.find_matches(text, limit=limit)
    shown = represent(claim for claim, _ in found)
    return [{"claim": view, "score": score} for view, (_, score) in zip(shown, found)]


def create_claim(ctx, *, text, appearance, speaker_id=None, claim_date=None, tags=()):
    """The new claim, with the stored claims it likely duplicates (looked for before it is stored)."""
    duplicates = [
        {"id": claim.uid, "text": claim.text, "status": claim.status, "score": score}
        for claim, score in matching.find_matches(text, limit=5, min_score=matching.LIKELY_DUPLICATE)
    ]
    with write_transaction():
        claim = Claim.create(
            text=text, speaker=_speaker_pk(speaker_id), claim_date=claim_date, tags=normalise_tags(tags)
        )
        _write_tag_rows(claim)
        _anchor(claim, appearance["source_id"], appearance["sentence_index"], appearance.get("quote"),
                appearance.get("occurrence", 1))
        search.index_claim(claim)
        audit.record(ctx, "claim", claim.uid, "create", None, snapshot(claim))
    return {**get_claim(claim.uid), "likely_duplicates": duplicates}


def update_claim(ctx, uid, changes, *, expected_version, reason=None):
    with write_transaction():
        claim = claim_row(uid)
        check_version(claim, expected_version)
        before = snapshot(claim)
        if "text" in changes:
            claim.text = changes["text"]
        if "speaker_id" in changes:
            claim.speaker = _speaker_pk(changes["speaker_id"])
        if "claim_date" in changes:
            claim.claim_date = changes["claim_date"]
        if "tags" in changes:
            claim.tags = normalise_tags(changes["tags"])
            _write_tag_rows(claim)
        bump_version(claim)
        search.index_claim(claim)
        audit.record(ctx, "claim", uid, "update", before, snapshot(claim), reason)
    return get_claim(uid)


def add_appearance(ctx, uid, *, source_id, sentence_index, quote=None, occurrence=1, expected_version, reason=None):
    with write_transaction():
        claim = claim_row(uid)
        check_version(claim, expected_version)
        before = snapshot(claim)
        _anchor(claim, source_id, sentence_index, quote, occurrence)
        bump_version(claim)
        search.index_claim(claim)
        audit.record(ctx, "claim", uid, "appearance_added", before, snapshot(claim), reason)
    return get_claim(uid)


def change_status(claim, target, *, reason, action):
    """The one place a claim's status moves. Checks the transition and reads what the audit needs now,
    before the caller takes the write lock (writers queue on it, so it is held for the writes alone);
    returns the step to run inside the write transaction, which bumps the version and gives the change
    for the audit log. Should the claim move on in between, the versioned update refuses (412)."""
    workflow.check_transition(claim.status, target)
    if workflow.needs_reason(claim.status, target) and not reason:
        raise Invalid(f"moving a {claim.status} claim to {target} needs a reason",
                      errors={"reason": ["required for this transition"]})
    parts = _snapshot_parts(claim)  # a status change leaves appearances and speaker as they were
    before = state(claim, *parts)

    def apply():
        claim.status = target
        bump_version(claim)
        return "claim", claim.uid, action, before, state(claim, *parts), reason

    return apply


def move_claims(ctx, from_speaker, to_speaker, *, reason):
    """Give every claim of one speaker to another, each as a recorded change (speaker merges use it)."""
    for claim in Claim.select().where(Claim.speaker == from_speaker.id).order_by(Claim.id):
        before = snapshot(claim)
        claim.speaker = to_speaker.id
        bump_version(claim)
        audit.record(ctx, "claim", claim.uid, "update", before, snapshot(claim), reason)


def retract_claim(ctx, uid, *, reason, expected_version):
    claim = claim_row(uid)
    check_version(claim, expected_version)
    retract = change_status(claim, workflow.RETRACTED, reason=reason, action="retract")
    with write_transaction():
        audit.record(ctx, *retract())
    return get_claim(uid)


def list_claims(*, limit, cursor=None, q=None, **filters):
    """A page of claims: oldest first, or with `q` ranked by relevance, each with a highlighted snippet."""
    claims = claim_queries.filtered(**filters)
    if q:
        hits, next_cursor = search.ranked(q, claims, limit=limit, cursor=cursor)
        shown = represent(claim for claim, _ in hits)
        for view, (_, snippet) in zip(shown, hits):
            view["snippet"] = snippet
        return shown, next_cursor
    rows, next_cursor = claim_queries.page(claims, limit, cursor)
    return represent(rows), next_cursor


def history(uid, *, limit, cursor=None):
    """The claim's own events and those of its reviews, in log order."""
    claim = claim_row(uid)
    review_ids = Review.select(Review.uid).where(Review.claim == claim.id)
    return audit.history("claim", uid, related=("review", review_ids), limit=limit, cursor=cursor)


def provenance(uid):
    """The claim and, for each appearance, its sentence, its source and whether the quote still holds."""
    claim = get_claim(uid)
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
    return {"claim": claim, "appearances": links, "verified": all(link["check"]["verified"] for link in links)}
