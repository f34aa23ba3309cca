"""Split a source's text into sentences with exact character offsets.

pysbd finds the boundaries (it knows abbreviations such as "U.S." and puts a heading line without
final punctuation in a segment of its own); the offsets are then located in the original text here,
so `text[start:end] == sentence` holds by construction rather than by trusting the library.
"""
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

from ..errors import Invalid

SUPPORTED_LANGUAGES = tuple(sorted(LANGUAGE_CODES))


@dataclass(frozen=True)
class Span:
    index: int
    start: int
    end: int
    text: str


@lru_cache(maxsize=None)
def _segmenter(language):
    return pysbd.Segmenter(language=language, clean=False)


def split_sentences(text, language="en"):
    spans = []
    cursor = 0
    for piece in _segmenter(language).segment(text):
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, cursor)
        if start < 0:  # pysbd never rewrites text with clean=False; guard anyway rather than mis-anchor
            raise ValueError("sentence segmenter returned text that is not in the source")
        end = start + len(stripped)
        spans.append(Span(len(spans), start, end, stripped))
        cursor = end
    return spans


def check_spans(text, spans):
    """Sentence offsets given from outside (an import) must be ones `split_sentences` could give:
    in order, not overlapping, inside the text, non-empty and without surrounding whitespace."""
    cursor = 0
    for index, (start, end) in enumerate(spans):
        if not cursor <= start < end <= len(text) or text[start:end].strip() != text[start:end]:
            raise Invalid(f"sentence {index} [{start}, {end}] is not an ordered, trimmed span of the text")
        cursor = end
