"""Measure extraction against labelled articles (pure: data in, figures out).

A gold statement is a quote (words occurring once in the article) with its speaker and whether a
checker would want it checked. A candidate detects a gold statement when both lie in the same sentence
and their character spans overlap; each is matched at most once, best overlap first.

- precision: matched candidates / candidates; recall: matched gold statements / gold statements
- speaker accuracy: matched pairs whose speaker is the same entity (names compared without case, a
  leading "the" or spacing) / matched pairs
- quote overlap: mean over matched pairs of |intersection| / |union| of the two character spans
- P@5: per article, of the 5 candidates with the highest check-worthiness, the share matching a gold
  statement labelled worthy; averaged over articles
"""
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Gold:
    sentence_index: int
    start: int
    end: int
    speaker: str
    worthy: bool


def same_speaker(a, b):
    def norm(name):
        name = (name or "").casefold().replace("’", "'")
        name = re.sub(r"^the\s+", "", name.strip())
        return " ".join(name.split())
    return a is not None and norm(a) == norm(b)


def gold_statements(text, statements, sentences):
    """Locate each labelled quote in the text and in its sentence."""
    found = []
    for item in statements:
        start = text.index(item["quote"])
        end = start + len(item["quote"])
        holder = next(s.index for s in sentences if s.start <= start and end <= s.end)
        found.append(Gold(holder, start, end, item["speaker"], bool(item.get("worthy"))))
    return found


def overlap(a_start, a_end, b_start, b_end):
    inter = max(0, min(a_end, b_end) - max(a_start, b_start))
    union = max(a_end, b_end) - min(a_start, b_start)
    return inter / union if union else 0.0


def match(gold, candidates):
    """One-to-one pairs (gold index, candidate index, overlap), the largest overlaps first."""
    options = []
    for g, item in enumerate(gold):
        for c, cand in enumerate(candidates):
            if cand.sentence_index == item.sentence_index:
                share = overlap(item.start, item.end, cand.quote.start, cand.quote.end)
                if share > 0:
                    options.append((-share, g, c))
    pairs, used_gold, used_cand = [], set(), set()
    for negative, g, c in sorted(options):
        if g not in used_gold and c not in used_cand:
            used_gold.add(g)
            used_cand.add(c)
            pairs.append((g, c, -negative))
    return sorted(pairs)


def precision_at(k, gold, candidates, pairs):
    if not candidates:
        return 0.0
    matched = {c: g for g, c, _ in pairs}
    ranked = sorted(range(len(candidates)), key=lambda c: (-candidates[c].check_worthiness["score"],
                                                           candidates[c].quote.start))
    top = ranked[:k]
    return sum(1 for c in top if c in matched and gold[matched[c]].worthy) / len(top)


def evaluate_article(gold, candidates):
    pairs = match(gold, candidates)
    return {
        "gold": len(gold),
        "candidates": len(candidates),
        "matched": len(pairs),
        "speaker_correct": sum(1 for g, c, _ in pairs if same_speaker(candidates[c].speaker.name, gold[g].speaker)),
        "overlap_sum": sum(share for _, _, share in pairs),
        "p_at_5": precision_at(5, gold, candidates, pairs),
        "misses": [g for g in range(len(gold)) if g not in {p[0] for p in pairs}],
        "extra": [c for c in range(len(candidates)) if c not in {p[1] for p in pairs}],
        "wrong_speaker": [(g, c) for g, c, _ in pairs
                          if not same_speaker(candidates[c].speaker.name, gold[g].speaker)],
    }


def summarise(per_article):
    """The set's figures from evaluate_article's results."""
    gold = sum(a["gold"] for a in per_article)
    candidates = sum(a["candidates"] for a in per_article)
    matched = sum(a["matched"] for a in per_article)
    return {
        "articles": len(per_article),
        "statements": gold,
        "candidates": candidates,
        "precision": matched / candidates if candidates else 0.0,
        "recall": matched / gold if gold else 0.0,
        "speaker_accuracy": sum(a["speaker_correct"] for a in per_article) / matched if matched else 0.0,
        "quote_overlap": sum(a["overlap_sum"] for a in per_article) / matched if matched else 0.0,
        "p_at_5": sum(a["p_at_5"] for a in per_article) / len(per_article) if per_article else 0.0,
    }


def seed_misses(candidates, curated, sentences, speaker_names):
    """Curated claims (quote, speaker key) whose sentence has no candidate with the curated speaker:
    matched by stored id, or by name when the candidate carries none."""
    misses = []
    for claim in curated:
        holder = next(s.index for s in sentences if claim["quote"] in s.text)
        wanted = claim["speaker"]
        if not any(c.sentence_index == holder and (c.speaker.id == wanted or c.speaker.id is None
                   and same_speaker(c.speaker.name, speaker_names[wanted])) for c in candidates):
            misses.append(claim)
    return misses
