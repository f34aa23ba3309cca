"""Reviews' queries, and the stored sentence an evidence item cites."""
from collections import defaultdict

from peewee import JOIN

from ..errors import Invalid, NotFound
from ..rules.reviews import cites_a_sentence, evidence_dict, review_dict
from .claims import claim_row
from .models import Evidence, Review, Sentence, Source
from .paging import page
from .sources import get_sentence


def _evidence_dicts(review_ids):
    rows = (
        Evidence.select(Evidence, Sentence.index.alias("sentence_index"), Source.uid.alias("source_uid"))
        .join(Sentence, join_type=JOIN.LEFT_OUTER, on=(Evidence.sentence == Sentence.id))
        .join(Source, join_type=JOIN.LEFT_OUTER, on=(Sentence.source == Source.id))
        .where(Evidence.review.in_(review_ids))
        .order_by(Evidence.id)
        .objects()
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.review_id].append(evidence_dict(row.stance, row.url, row.source_uid, row.sentence_index, row.note))
    return grouped


def _represent(reviews, claim_uid_of):
    evidence = _evidence_dicts([r.id for r in reviews]) if reviews else {}
    return [review_dict(r, claim_uid_of(r), evidence.get(r.id, [])) for r in reviews]


def represent(reviews, claim_uid):
    return _represent(list(reviews), lambda review: claim_uid)


def by_claim(claim_rows):
    """Every review of these claims, oldest first, grouped by claim id: two queries however many claims."""
    uid_of = {claim.id: claim.uid for claim in claim_rows}
    rows = list(Review.select().where(Review.claim.in_(list(uid_of))).order_by(Review.id))
    grouped = defaultdict(list)
    for row, shown in zip(rows, _represent(rows, lambda review: uid_of[review.claim_id])):
        grouped[row.claim_id].append(shown)
    return grouped


def evidence_row(item):
    """Exactly one of a URL or a stored source's sentence: the row to store, and the item as shown."""
    has_sentence = cites_a_sentence(item)
    row = {"stance": item["stance"], "url": item.get("url"), "note": item.get("note"), "sentence": None}
    shown = evidence_dict(item["stance"], item.get("url"), item.get("source_id") if has_sentence else None,
                          item.get("sentence_index") if has_sentence else None, item.get("note"))
    if has_sentence:
        source = Source.get_or_none(Source.uid == item.get("source_id"))
        if source is None or item.get("sentence_index") is None:
            raise Invalid("evidence names no stored sentence", errors={"evidence": ["no such source sentence"]})
        try:
            row["sentence"] = get_sentence(source, item["sentence_index"]).id
        except NotFound as missing:
            raise Invalid(missing.detail, errors={"evidence": ["no such sentence in that source"]}) from None
    return row, shown


def list_reviews(claim_uid, *, limit, cursor=None):
    claim = claim_row(claim_uid)
    rows, next_cursor = page(Review.select().where(Review.claim == claim.id), Review.id, limit, cursor)
    return represent(rows, claim_uid), next_cursor
