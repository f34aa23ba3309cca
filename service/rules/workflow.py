"""Claim statuses, the verdict scale, and the moves allowed between statuses.

    unverified -> in_review -> a verdict -> in_review (reopened, with a reason) -> ...
    anything but retracted -> retracted (withdrawn, never deleted)

The verdict scale is configuration (newsrooms use different ones); each verdict carries the
ClaimReview rating it publishes as: a numeric ratingValue on the scale's best..worst range and a
textual alternateName.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidTransition, Invalid

UNVERIFIED = "unverified"
IN_REVIEW = "in_review"
RETRACTED = "retracted"


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str  # ClaimReview reviewRating.alternateName
    rating_value: int | None  # None: a verdict with no place on the numeric scale (e.g. unproven)


@dataclass(frozen=True)
class VerdictScale:
    best_rating: int
    worst_rating: int
    verdicts: tuple

    def get(self, verdict_id):
        for verdict in self.verdicts:
            if verdict.id == verdict_id:
                return verdict
        return None

    @property
    def ids(self):
        return tuple(v.id for v in self.verdicts)


DEFAULT_SCALE = VerdictScale(
    best_rating=6,
    worst_rating=1,
    verdicts=(
        Verdict("true", "True", 6),
        Verdict("mostly_true", "Mostly true", 5),
        Verdict("half_true", "Half true", 4),
        Verdict("mostly_false", "Mostly false", 3),
        Verdict("false", "False", 2),
        Verdict("pants_on_fire", "Pants on fire", 1),
        Verdict("unproven", "Unproven", None),
    ),
)

_active = DEFAULT_SCALE


def load_scale(path):
    """A scale from a JSON file: {"best_rating": 5, "worst_rating": 1, "verdicts": [{"id", "label", "rating_value"}]}."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    verdicts = tuple(Verdict(v["id"], v["label"], v.get("rating_value")) for v in raw["verdicts"])
    scale = VerdictScale(int(raw["best_rating"]), int(raw["worst_rating"]), verdicts)
    reserved = {UNVERIFIED, IN_REVIEW, RETRACTED} & set(scale.ids)
    if reserved or len(set(scale.ids)) != len(verdicts) or not verdicts:
        raise ValueError(f"verdict scale {path}: ids must be unique and not {sorted(reserved) or 'empty'}")
    low, high = sorted((scale.best_rating, scale.worst_rating))
    if low == high:  # ClaimReview needs bestRating and worstRating apart
        raise ValueError(f"verdict scale {path}: best_rating and worst_rating must differ")
    if any(v.rating_value is not None and not low <= v.rating_value <= high for v in verdicts):
        raise ValueError(f"verdict scale {path}: a rating_value lies outside best_rating..worst_rating")
    return scale


def use_scale(scale):
    global _active
    _active = scale


def scale():
    return _active


def statuses():
    return (UNVERIFIED, IN_REVIEW, *_active.ids, RETRACTED)


def allowed_next(status):
    if status == UNVERIFIED:
        return (IN_REVIEW, RETRACTED)
    if status == IN_REVIEW:
        return (IN_REVIEW, *_active.ids, RETRACTED)
    if status in _active.ids:
        return (IN_REVIEW, RETRACTED)
    return ()


def check_transition(current, target):
    if target not in statuses():
        raise Invalid(f"unknown status {target!r}", errors={"status": [f"must be one of {', '.join(statuses())}"]})
    allowed = allowed_next(current)
    if target not in allowed:
        names = ", ".join(allowed) if allowed else "none: a retracted claim stays retracted"
        raise InvalidTransition(f"a claim that is {current} cannot become {target}; allowed: {names}")


def needs_reason(current, target):
    """A verdict needs its rationale; reopening a verdict and retracting need a reason."""
    return target in _active.ids or target == RETRACTED or (current in _active.ids and target == IN_REVIEW)


def check_status_filter(status):
    if status is not None and status not in statuses():
        raise Invalid(f"unknown status {status!r}", errors={"status": [f"must be one of {', '.join(statuses())}"]},
                      location="query")
