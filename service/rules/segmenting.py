"""Split a source's text into sentences with exact character offsets.

pysbd finds the boundaries (it knows abbreviations such as "U.S." and puts a heading line without
final punctuation in a segment of its own); the offsets are then located in the original text here,
so `text[start:end] == sentence` holds by construction rather than by trusting the library.

pysbd's time grows with the square of the text it is given, so it is given bounded pieces: runs of
whole lines (a line break always ends a segment in pysbd, and it treats each line on its own for
abbreviations), and a line longer than a piece in overlapping windows whose last sentences are split
again with what follows them.
"""
import time
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

from ..errors import Invalid

SUPPORTED_LANGUAGES = tuple(sorted(LANGUAGE_CODES))

# The most text pysbd sees at once: paragraphs are rarely longer, and pysbd is still quick at this size.
PIECE_CHARS = 2048
# A boundary this close to a window's end may depend on text the window cut off: it is found again
# from the next window, which starts at the sentence before it.
RECHECK_CHARS = 512


@dataclass(frozen=True)
class Span:
    index: int
    start: int
    end: int
    text: str


@lru_cache(maxsize=None)
def _segmenter(language):
    return pysbd.Segmenter(language=language, clean=False)


def _pysbd_spans(text, language):
    """(start, end) of each sentence pysbd finds in `text`, all of it at once, trimmed of whitespace.

    pysbd's own `segment` looks each sentence up from the start of the text again (quadratic in the
    number of sentences); its processor gives the same sentences, looked up here from the last one on.
    """
    if not text:
        return []
    time.sleep(0)  # a long text lets the worker's other requests run between pieces (gevent does not preempt)
    spans = []
    cursor = 0
    for piece in _segmenter(language).processor(text).process():
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, cursor)
        if start < 0:  # pysbd's segment leaves out a sentence it cannot find in the text: so do we
            continue
        cursor = start + len(stripped)
        spans.append((start, cursor))
    return spans


def _pieces(text, size):
    """(start, end) of runs of whole lines of at most `size` characters; a longer line is a run of its own."""
    start = 0
    while start < len(text):
        end = text.rfind("\n", start, start + size) + 1 if start + size < len(text) else len(text)
        if end <= start:  # one line longer than a piece
            newline = text.find("\n", start)
            end = len(text) if newline < 0 else newline + 1
        yield start, end
        start = end


def _line_spans(text, start, end, language, size, recheck):
    """The sentences of text[start:end], in windows of `size` when it is longer than that."""
    while end - start > size:
        window = text[start:start + size]
        spans = _pysbd_spans(window, language)
        settled = [s for s in spans[:-1] if s[1] <= size - recheck] or spans[:-1][:1]
        if settled:
            next_start = spans[len(settled)][0]
        else:  # no boundary in the window: a "sentence" longer than a window is cut after its last space
            words = window.rstrip()
            cut = max(len(words) - len(words.split()[-1]), size // 2) if words else size
            settled = [(spans[0][0], len(window[:cut].rstrip()))] if spans and spans[0][0] < cut else []
            next_start = cut
        for a, b in settled:
            yield start + a, start + b
        start += next_start
    for a, b in _pysbd_spans(text[start:end], language):
        yield start + a, start + b


def split_sentences(text, language="en", *, piece_chars=PIECE_CHARS, recheck_chars=RECHECK_CHARS):
    spans = []
    for start, end in _pieces(text, piece_chars):
        for a, b in _line_spans(text, start, end, language, piece_chars, recheck_chars):
            spans.append(Span(len(spans), a, b, text[a:b]))
    return spans


def check_spans(text, spans):
    """Sentence offsets given from outside (an import) must be ones `split_sentences` could give:
    in order, not overlapping, inside the text, non-empty and without surrounding whitespace."""
    cursor = 0
    for index, (start, end) in enumerate(spans):
        if not cursor <= start < end <= len(text) or text[start:end].strip() != text[start:end]:
            raise Invalid(f"sentence {index} [{start}, {end}] is not an ordered, trimmed span of the text")
        cursor = end
