"""Anchor a quote in its sentence as W3C Web Annotation selectors, and check an anchor later."""
import hashlib
from dataclasses import dataclass

from ..errors import QuoteNotFound

# How much surrounding text a TextQuoteSelector keeps to tell repeated quotes apart.
CONTEXT_CHARS = 32


def text_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def anchor_quote(source_text, sentence, quote=None, occurrence=1):
    """Locate `quote` (default: the whole sentence) inside `sentence`; offsets are into the source text.

    A quote found more than once is anchored at its `occurrence`-th place (counting every place it
    starts, from 1), so the client can say which of the sentence's "no"s the claim is about.
    Offsets count Unicode code points, as TextPositionSelector specifies.
    """
    exact = sentence.text if quote is None else quote
    position, found = -1, 0
    while exact and found < occurrence and (position := sentence.text.find(exact, position + 1)) >= 0:
        found += 1
    if found == 0:
        raise QuoteNotFound(
            f"the quote does not occur in sentence {sentence.index}",
            errors={"quote": [f"not found verbatim in sentence {sentence.index}: {sentence.text!r}"]},
        )
    if found < occurrence:
        raise QuoteNotFound(
            f"the quote occurs {found} times in sentence {sentence.index}, not {occurrence}",
            errors={"occurrence": [f"the quote occurs only {found} times in sentence {sentence.index}"]},
        )
    start = sentence.start + position
    end = start + len(exact)
    return Anchor(
        exact=exact,
        prefix=source_text[max(0, start - CONTEXT_CHARS):start],
        suffix=source_text[end:end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def occurrence_at(sentence_text, exact, offset):
    """Which place of `exact` in the sentence is the one starting at `offset` (into the sentence), counted
    as `anchor_quote` counts them: every place it starts, from 1."""
    count, position = 0, -1
    while (position := sentence_text.find(exact, position + 1)) >= 0 and position <= offset:
        count += 1
    return max(count, 1)


def quote_matches(source_text, appearance):
    return source_text[appearance.start:appearance.end] == appearance.exact


def context_matches(source_text, appearance):
    return (source_text[max(0, appearance.start - len(appearance.prefix)):appearance.start] == appearance.prefix
            and source_text[appearance.end:appearance.end + len(appearance.suffix)] == appearance.suffix)


def check_anchor(source_text, stored_sha256, appearance):
    """Re-verify an appearance against the stored text: what a reader of the provenance wants to know."""
    text_intact = text_sha256(source_text) == stored_sha256
    quote = quote_matches(source_text, appearance)
    context = context_matches(source_text, appearance)
    return {
        "source_text_intact": text_intact,
        "quote_matches": quote,
        "context_matches": context,
        "verified": text_intact and quote and context,
    }
