"""Claims' queries: a claim is shown from its stored document and its speaker's in one query; a page is
one query after the filters pick the rows."""
from collections import defaultdict

from peewee import JOIN, fn

from ..errors import Invalid, NotFound
from ..rules import documents, workflow
from ..rules.claims import appearance_dict, state
from ..rules.documents import Stored
from ..rules.provenance import check_anchor
from . import audit, search
from .db import Prepared, insert_all
from .models import Appearance, Claim, ClaimTag, Review, Sentence, Source, Speaker
from .paging import keyset, page


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


def _shown_query(**filters):
    """Claims as shown (id, version, document, speaker's document), narrowed by `filters` (see `filtered`).
    The speaker is joined after the filters, so that SQLite reads it for the claims kept, not for each
    one a filter looks at."""
    query = filtered(Claim.select(Claim.id, Claim.version, Claim.document, Speaker.document), **filters)
    return query.join_from(Claim, Speaker, JOIN.LEFT_OUTER, on=(Claim.speaker == Speaker.id))


_ONE_SHOWN = Prepared(lambda slot: _shown_query().where(Claim.uid == slot("uid", Claim.uid)))


def get_claim(uid):
    found = _ONE_SHOWN.execute(uid=uid).fetchall()
    if not found:
        raise NotFound(f"no claim with id {uid}")
    ((_, version, claim_document, speaker_document),) = found
    return Stored(documents.claim_shown(claim_document, speaker_document), version)


# An id list is padded to a power of two (repeating its last id): a few shapes serve every length.
_SHOWN_BY_IDS = Prepared(lambda slot, count: _shown_query().where(Claim.id.in_([slot(f"id{n}") for n in range(count)])))


def shown_by_ids(ids, **extra_of):
    """{claim id: the claim shown, as JSON text} for these claims; `extra_of` maps a member's name to
    {claim id: its value} for members joined in beside the document (a search's snippet)."""
    ids = list(ids)
    if not ids:
        return {}
    count = 1 << (len(ids) - 1).bit_length()
    padded = ids + ids[-1:] * (count - len(ids))
    rows = _SHOWN_BY_IDS.execute(count, **{f"id{n}": claim_id for n, claim_id in enumerate(padded)}).fetchall()
    return {claim_id: documents.claim_shown(claim_document, speaker_document,
                                            **{name: values.get(claim_id) for name, values in extra_of.items()})
            for claim_id, _, claim_document, speaker_document in rows}


def shown_states(ids):
    """These claims as the API shows them, as Python values, in the order of `ids`."""
    shown = shown_by_ids(ids)
    return [documents.shown_claim_state(shown[claim_id]) for claim_id in ids]


_CLAIM_ROW = Prepared(lambda slot: Claim.select().where(Claim.uid == slot("uid", Claim.uid)))


def claim_row(uid):
    """The claim's row, for a write."""
    found = _CLAIM_ROW.rows(Claim, uid=uid)
    if not found:
        raise NotFound(f"no claim with id {uid}")
    return found[0]


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


# What each filter is compared with, which also says how its value is sent to the database.
FILTER_FIELDS = {"status": Claim.status, "speaker_id": Speaker.uid, "source_id": Source.uid, "tag": ClaimTag.tag,
                 "date_from": Claim.claim_date, "date_to": Claim.claim_date, "updated_since": Claim.updated_at}


def filtered(query, *, status=None, speaker_id=None, source_id=None, tag=None, date_from=None, date_to=None,
             updated_since=None):
    """`query` (of claims) narrowed to those matching every given filter. Each filter has an index
    behind it (see service/store/models.py): status (status, id), speaker (speaker, id), source (appearance
    source, claim), tag (tag, claim), updated_at; claim_date ranges scan within what the others leave.
    A value may be a prepared query's slot (see `list_claims`)."""
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


def _page_query(slot, given, from_start):
    """A page's query for this set of filters, from the start or past a cursor's key."""
    query = _shown_query(**{name: slot(name, FILTER_FIELDS[name]) for name in given})
    return keyset(query, Claim.id, None if from_start else slot("key"), slot("count")).tuples()


_PAGE = Prepared(_page_query)


def list_claims(*, limit, cursor=None, q=None, **filters):
    """A page of claims shown as JSON text: oldest first, or with `q` ranked by relevance, each with a
    highlighted snippet. ([text], next_cursor)."""
    workflow.check_status_filter(filters.get("status"))
    if q:
        scope = filtered(Claim.select(Claim.id), **filters) if any(filters.values()) else None
        hits, next_cursor = search.ranked(q, scope, limit=limit, cursor=cursor)
        shown = shown_by_ids([claim_id for claim_id, _ in hits], snippet=dict(hits))
        return [shown[claim_id] for claim_id, _ in hits], next_cursor
    given = {name: value for name, value in filters.items() if value}

    def rows_after(key, count):
        return _PAGE.execute(frozenset(given), key is None, key=key, count=count, **given).fetchall()

    rows, next_cursor = page(None, Claim.id, limit, cursor, key_of=lambda row: row[0], rows_after=rows_after)
    return [documents.claim_shown(claim_document, speaker_document) for _, _, claim_document, speaker_document
            in rows], next_cursor


def speaker_row_id(speaker_uid):
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


def write_tag_rows(claim_ids_and_tags, *, replace):
    """The tag rows of these claims ((claim id, tags) pairs), written again when `replace`."""
    pairs = list(claim_ids_and_tags)
    if replace and pairs:
        ClaimTag.delete().where(ClaimTag.claim.in_([claim_id for claim_id, _ in pairs])).execute()
    insert_all(ClaimTag, [{"claim": claim_id, "tag": tag} for claim_id, tags in pairs for tag in tags])


def speaker_document(claim):
    return Speaker.select(Speaker.document).where(Speaker.id == claim.speaker_id).scalar() if claim.speaker_id else None


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


def count_by_status():
    """{status: how many claims}, every status of the workflow (zeros too), in one grouped count."""
    counts = dict.fromkeys(workflow.statuses(), 0)
    counts.update(Claim.select(Claim.status, fn.COUNT(Claim.id)).group_by(Claim.status).tuples())
    return counts
