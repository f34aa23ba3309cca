"""The entry point: candidate claims from a source's text.

    propose(text, language="en", publisher=None, known_speakers=()) -> [Candidate]

For each sentence (pysbd's spans: the source of truth for offsets) that carries a statement, one
Candidate per atomic statement: its attributed text, its speaker and how it was found, its quote
selector over the words carrying it, and its check-worthiness. Deterministic: the same text, publisher
and known speakers give the same candidates. Sentences are parsed in batches as they are read, so a
long source needs memory for one batch, the names it has met and the candidates (`iter_candidates`
yields them one by one for a caller that stores as it goes).
"""
import re
from dataclasses import asdict, dataclass, field

from ..provenance import CONTEXT_CHARS, Anchor
from ..segmenting import Span, split_sentences
from . import pipeline
from .speakers import SourceSpeakers, Speaker, speaker_of
from .statements import find_frames
from .worthiness import check_worthiness

LANGUAGES = ("en",)  # the one pipeline installed
# Above this, pysbd (quadratic in its input) runs paragraph by paragraph; see sentence_spans.
WHOLE_TEXT_LIMIT = 20_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class Candidate:
    """One proposed claim. `quote` is a provenance Anchor (exact, prefix, suffix, start, end) into the
    source text, inside sentence `sentence_index`; `check_worthiness` is {"score": 0..1, "signals": {...}}."""
    text: str
    speaker: Speaker
    sentence_index: int
    quote: Anchor
    check_worthiness: dict = field(default_factory=dict)
    kind: str = "narrated"  # which rule found it: reported, direct, continued, verb_phrase, according, narrated

    def as_dict(self):
        return asdict(self)


def sentence_spans(text, language="en"):
    """pysbd's sentences of the text. A long text is split at blank lines first (pysbd never joins
    sentences across one) and each paragraph's spans shifted, which keeps pysbd linear."""
    if len(text) <= WHOLE_TEXT_LIMIT:
        yield from split_sentences(text, language)
        return
    index, cursor = 0, 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        for span in split_sentences(text[cursor:end], language):
            yield Span(index, cursor + span.start, cursor + span.end, span.text)
            index += 1
        cursor = match.end() if match else len(text)


def _starts_paragraph(text, previous_end, start):
    return previous_end is None or _PARAGRAPH_BREAK.search(text, previous_end, start) is not None


def _attributed(speaker, frame, words):
    """The statement in plain words, attributed, keeping the sentence's own words."""
    who = speaker.name or "An unidentified speaker"
    words = words.rstrip(" ,;:")
    if frame.borrowed and frame.kind in ("reported", "narrated"):
        words = f"{frame.borrowed} {words}"
    if frame.kind == "narrated":
        sentence = words
    elif frame.kind in ("direct", "continued"):
        sentence = f"{who} said: “{words}”"
    elif frame.kind == "verb_phrase":
        sentence = f"{who} {words}"
    elif frame.kind == "according":
        sentence = f"According to {who}, {words}"
    else:
        sentence = f"{who} said {words}"
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence if sentence[-1] in ".!?”" else sentence + "."


def _speaker_for(frame, registry):
    if frame.kind == "narrated":
        return registry.narrator()
    if frame.kind == "continued":
        return registry.continued_quote()
    found = speaker_of(frame.subject, registry)
    return found or Speaker(None, None, None, "person", "named", 0.1)


def iter_candidates(text, *, language="en", publisher=None, known_speakers=(), sentences=None):
    """Candidates one at a time, in the order of the text. `sentences`: the source's stored spans
    (objects with index, start, end, text), when the caller has them."""
    if language not in LANGUAGES:
        raise ValueError(f"extraction supports {', '.join(LANGUAGES)}, not {language!r}")
    registry = SourceSpeakers(known_speakers, publisher)
    spans = iter(sentences if sentences is not None else sentence_spans(text, language))
    pending = []

    def texts():
        for span in spans:
            pending.append(span)
            yield span.text

    previous_end = None
    for doc in pipeline.parse(texts()):
        span = pending.pop(0)
        if _starts_paragraph(text, previous_end, span.start):
            registry.new_paragraph()
        previous_end = span.end
        registry.remember_entities(doc)
        doc.user_data["speaker_names"] = registry.name_words()
        frames = find_frames(doc, span.text)
        if not frames:
            continue
        for frame in frames:
            speaker = _speaker_for(frame, registry)
            start, end = span.start + frame.start, span.start + frame.end
            exact = text[start:end]
            quote = Anchor(exact, text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS],
                           start, end)
            yield Candidate(_attributed(speaker, frame, exact), speaker, span.index, quote,
                            check_worthiness(frame.tokens, frame.verb), frame.kind)
            if frame.kind in ("direct", "continued"):
                registry.last_quoted = speaker
            if frame.kind != "narrated":
                registry.spoke(speaker)
        if all(f.kind == "narrated" for f in frames):
            registry.subject_named(doc)


def propose(text, *, language="en", publisher=None, known_speakers=(), sentences=None):
    """Every candidate claim of a source, in the order of the text."""
    return list(iter_candidates(text, language=language, publisher=publisher, known_speakers=known_speakers,
                                sentences=sentences))
