"""Reviews: a fact-checker's finding on a claim, with the evidence it rests on.

Recording a review moves the claim: a review with a verdict gives the claim that verdict, one
without puts it (back) in review. The transition rules live in service/workflow.py.
"""
from collections import defaultdict

from peewee import JOIN

from . import audit, claims, workflow
from .db import write_transaction
from .errors import Invalid, NotFound
from .models import Evidence, Review, Sentence, Source
from .pagination import page
from .sources import get_sentence
from .versioning import check_version

STANCES = ("supports", "refutes", "context")


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


def evidence_dict(stance, url=None, source_id=None, sentence_index=None, note=None):
    return {"stance": stance, "url": url, "source_id": source_id, "sentence_index": sentence_index, "note": note}


def review_dict(review, claim_uid, evidence):
    return {
        "id": review.uid,
        "claim_id": claim_uid,
        "status": review.status,
        "verdict": review.verdict,
        "rationale": review.rationale,
        "reviewer": review.reviewer,
        "created_at": review.created_at,
        "evidence": evidence,
    }


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


def cites_a_sentence(item):
    """Whether an evidence item cites a stored sentence (rather than a URL); exactly one of the two."""
    has_url = bool(item.get("url"))
    has_sentence = item.get("source_id") is not None or item.get("sentence_index") is not None
    if has_url == has_sentence:
        raise Invalid("each evidence item is a url, or a source_id with a sentence_index",
                      errors={"evidence": ["give either url, or source_id and sentence_index"]})
    return has_sentence


def check_history(reviews, status):
    """Reviews given whole (by an import) must be ones this workflow could have recorded, oldest first:
    each moves the claim to its verdict or into review, with a rationale where the move needs one, and
    the claim's status is the last one's (or retracted; unverified when there are none)."""
    current = workflow.UNVERIFIED
    for n, review in enumerate(reviews):
        verdict = review.get("verdict")
        if verdict is not None and workflow.scale().get(verdict) is None:
            raise Invalid(f"review {n}: unknown verdict {verdict!r}")
        if review["status"] != (verdict or workflow.IN_REVIEW):
            raise Invalid(f"review {n}: a review's status is its verdict, or in_review without one")
        if workflow.needs_reason(current, review["status"]) and not review.get("rationale"):
            raise Invalid(f"review {n}: moving a {current} claim to {review['status']} needs a rationale")
        current = review["status"]
    if status not in (current, workflow.RETRACTED):
        raise Invalid(f"status {status!r} does not follow from the reviews, which leave the claim {current}")


def _evidence_row(item):
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


def add_review(ctx, claim_uid, *, expected_version, verdict=None, rationale=None, evidence=()):
    if verdict is not None and workflow.scale().get(verdict) is None:
        raise Invalid(f"unknown verdict {verdict!r}",
                      errors={"verdict": [f"must be one of {', '.join(workflow.scale().ids)}"]})
    target = verdict or workflow.IN_REVIEW
    claim = claims.claim_row(claim_uid)
    check_version(claim, expected_version)
    if workflow.needs_reason(claim.status, target) and not rationale:
        raise Invalid("a verdict, or reopening one, needs a rationale",
                      errors={"rationale": ["required for this review"]})
    evidence = [_evidence_row(item) for item in evidence]  # sources never change: read them now
    move_claim = claims.change_status(claim, target, reason=rationale, action="review")
    with write_transaction():
        review = Review.create(claim=claim.id, status=target, verdict=verdict, rationale=rationale,
                               reviewer=ctx.actor)
        if evidence:
            Evidence.insert_many([{**row, "review": review.id} for row, _ in evidence]).execute()
        shown = review_dict(review, claim_uid, [item for _, item in evidence])
        audit.record_many(ctx, [("review", review.uid, "create", None, shown, None), move_claim()])
    return shown


def list_reviews(claim_uid, *, limit, cursor=None):
    claim = claims.claim_row(claim_uid)
    rows, next_cursor = page(Review.select().where(Review.claim == claim.id), Review.id, limit, cursor)
    return represent(rows, claim_uid), next_cursor
