"""Reviews: a fact-checker's finding on a claim, with the evidence it rests on. A review with a verdict
gives the claim that verdict; one without puts it (back) in review (service/rules/workflow.py)."""
from ..errors import Invalid
from . import workflow

STANCES = ("supports", "refutes", "context")


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
