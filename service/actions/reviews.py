"""Recording a review: the review, its evidence and the claim's move, with their audit events, at once."""
from ..errors import Invalid
from ..rules import workflow
from ..rules.reviews import review_dict
from ..store import audit
from ..store.claims import claim_row
from ..store.db import create, write_transaction
from ..store.models import Evidence, Review
from ..store.reviews import evidence_row
from ..store.versioning import check_version
from .claims import change_status


def add_review(ctx, claim_uid, *, expected_version, verdict=None, rationale=None, evidence=()):
    if verdict is not None and workflow.scale().get(verdict) is None:
        raise Invalid(f"unknown verdict {verdict!r}",
                      errors={"verdict": [f"must be one of {', '.join(workflow.scale().ids)}"]})
    target = verdict or workflow.IN_REVIEW
    claim = claim_row(claim_uid)
    check_version(claim, expected_version)
    if workflow.needs_reason(claim.status, target) and not rationale:
        raise Invalid("a verdict, or reopening one, needs a rationale",
                      errors={"rationale": ["required for this review"]})
    evidence = [evidence_row(item) for item in evidence]  # sources never change: read them now
    move_claim = change_status(claim, target, reason=rationale, action="review")
    with write_transaction():
        review = create(Review, claim=claim.id, status=target, verdict=verdict, rationale=rationale,
                        reviewer=ctx.actor)
        if evidence:
            Evidence.insert_many([{**row, "review": review.id} for row, _ in evidence]).execute()
        shown = review_dict(review, claim_uid, [item for _, item in evidence])
        audit.record_many(ctx, [("review", review.uid, "create", None, shown, None), move_claim()])
    return shown
