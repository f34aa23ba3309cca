"""ClaimReviews of stored claims with a verdict: one claim's, and all of them in keyset pages."""
from ..errors import NotFound
from ..rules import workflow
from ..rules.claimreview import CONTEXT, element
from . import claims, reviews
from .models import Claim, Source
from .paging import in_pages


def _reviews(claim_rows, publisher):
    """The ClaimReviews of claims that all have a verdict: a handful of queries however many claims."""
    shown = claims.shown_states([row.id for row in claim_rows])
    reviewed = reviews.by_claim(claim_rows)  # the latest review of each is the one that gave its verdict
    source_ids = {a["source_id"] for c in shown for a in c["appearances"]}
    sources = {s.uid: s for s in Source.select(Source.uid, Source.title, Source.url, Source.publisher,
                                               Source.published_date).where(Source.uid.in_(source_ids))}
    scale = workflow.scale()
    for row, claim in zip(claim_rows, shown):
        yield element(claim, reviewed[row.id][-1]["created_at"], sources, publisher, scale)


def claim_review(uid, publisher):
    claim = claims.claim_row(uid)
    if workflow.scale().get(claim.status) is None:
        raise NotFound(f"claim {uid} has no verdict (it is {claim.status}): only a claim with a verdict "
                       "has a ClaimReview")
    [review] = _reviews([claim], publisher)
    return {"@context": CONTEXT, **review}


def feed_elements(publisher, page_size=200):
    """Every claim with a verdict, oldest first, read in keyset pages so memory stays flat."""
    for rows in in_pages(Claim.select().where(Claim.status.in_(workflow.scale().ids)), Claim.id, page_size):
        yield from _reviews(rows, publisher)
