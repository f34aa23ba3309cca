"""schema.org ClaimReview for every claim with a verdict, in the shape Google's fact-check results read.

Google requires `claimReviewed`, `url` and `reviewRating` with its textual `alternateName`; it recommends
the review's `author` and `datePublished`, the numeric rating with its range, and `itemReviewed`: the
Claim with its `author`, `datePublished`, `appearance` and `firstAppearance`. Unknown values (a claim
date, a source URL) are left out rather than guessed.
"""
from dataclasses import dataclass

CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the fact checks, and the base URL their claim pages live under."""

    name: str
    url: str
    base_url: str

    def link(self, path):
        return f"{self.base_url.rstrip('/')}/{path}"


def rating(verdict, scale):
    """The verdict as a schema.org Rating: always its label; its number when the scale gives one.

    Google wants bestRating > worstRating >= 1, so a scale that runs from best to worst downwards is
    turned round and one that starts below 1 is shifted up; the order of the verdicts is kept.
    """
    shown = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.rating_value is None:
        return shown
    low, high = sorted((scale.best_rating, scale.worst_rating))
    value = verdict.rating_value if scale.best_rating > scale.worst_rating else low + high - verdict.rating_value
    shift = max(0, 1 - low)
    return {**shown, "ratingValue": value + shift, "bestRating": high + shift, "worstRating": low + shift}


def _author(speaker):
    kind = "Organization" if speaker["kind"] == "organization" else "Person"
    shown = {"@type": kind, "name": speaker["name"]}
    if kind == "Person" and speaker["role"]:
        shown["jobTitle"] = speaker["role"]
    return shown


def _creative_work(source, publisher):
    """Where a claim appeared: the source's own URL, else its stored copy here."""
    work = {"@type": "CreativeWork", "url": source.url or publisher.link(f"sources/{source.uid}"),
            "name": source.title}
    if source.published_date:
        work["datePublished"] = source.published_date.isoformat()
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _item_reviewed(claim, sources, publisher):
    item = {"@type": "Claim"}
    if claim["speaker"]:
        item["author"] = _author(claim["speaker"])
    if claim["claim_date"]:
        item["datePublished"] = claim["claim_date"].isoformat()
    works = {a["id"]: _creative_work(sources[a["source_id"]], publisher) for a in claim["appearances"]}
    item["appearance"] = list(works.values())
    if claim["first_appearance_id"]:
        item["firstAppearance"] = works[claim["first_appearance_id"]]
    return item


def element(claim, verdict_given_at, sources, publisher, scale):
    """The ClaimReview of a claim with a verdict (as the API shows it), given when its latest review was
    recorded, with the sources its appearances are in (by id)."""
    return {
        "@type": "ClaimReview",
        "url": publisher.link(f"claims/{claim['id']}"),
        "claimReviewed": claim["text"],
        "datePublished": verdict_given_at.date().isoformat(),
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "reviewRating": rating(scale.get(claim["status"]), scale),
        "itemReviewed": _item_reviewed(claim, sources, publisher),
    }
