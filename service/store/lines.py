"""Claims as export lines (service/rules/lines.py): each with its speaker, appearances, reviews and every
source they point into, read in a fixed number of queries per page."""
from ..rules.lines import source_ids
from . import claims, reviews, sources
from .db import read_snapshot
from .models import Claim
from .paging import in_pages

PAGE_SIZE = 200


def lines_for(claim_rows):
    """These claims as lines (not yet serialised), in a fixed number of queries however many claims."""
    reviewed = reviews.by_claim(claim_rows)
    lines = [
        {**claim, "external_id": claim["external_id"] or claim["id"], "reviews": reviewed.get(row.id, [])}
        for row, claim in zip(claim_rows, claims.shown_states([row.id for row in claim_rows]))
    ]
    stored = sources.with_sentences({uid for line in lines for uid in source_ids(line)})
    for line in lines:
        line["sources"] = [stored[uid] for uid in source_ids(line)]
    return lines


def export_lines(page_size=PAGE_SIZE):
    """Every claim as a line (schemas/bulk.py dumps it), oldest first, read in keyset pages from one snapshot."""
    with read_snapshot():
        for rows in in_pages(Claim.select(), Claim.id, page_size):
            yield from lines_for(rows)
