"""Sentence splitting in bounded pieces gives the spans that splitting the whole text with pysbd gave,
and stays linear on texts that made pysbd quadratic."""
import random
from functools import lru_cache

import pysbd
import pytest

from service.rules.segmenting import split_sentences
from tests.live_server import ROOT
from tests.samples import ARTICLE

SEED_ARTICLE = (ROOT / "seeds" / "000_01a8f12677df87e8.txt").read_text()

SENTENCES = [
    "The U.S. envoy met officials in Washington on Monday.",
    "Officials said exports rose 12 percent in 2023.",
    "Dr. Smith of Washington D.C. agreed, citing p. 14 of the report.",
    "Did the minister say so?",
    "\"We will not back down,\" she said.",
    "Prices rose 3.5 percent (the most since 2008) and wages 1.2 percent.",
    "It was, he said, \"a bad deal… a very bad deal.\"",
    "The meeting, held at 10 a.m. on Jan. 5, went well!",
    "Mr. Jones and Mrs. Lee of Acme Inc. disagreed with the U.K. figures.",
    "See www.example.com or write to info@example.org for details.",
    "The vote was 52-48; the motion failed.",
    "Exports fell — sharply — in Q3.",
    "“Quotes” in other styles are kept too.",
    "He said yes. She said no.",
    "Growth was 2 % in the E.U. last year, i.e. less than forecast.",
]
HEADINGS = ["Strengthening Bilateral Ties", "Background", "What the figures show"]


def ordinary_texts(count=40, seed=16):
    """Paragraphs of news-like sentences and headings, some lines wrapped, at varied lengths."""
    rng = random.Random(seed)
    for _ in range(count):
        paragraphs = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.2:
                paragraphs.append(rng.choice(HEADINGS))
            sentences = [rng.choice(SENTENCES) for _ in range(rng.randint(1, 25))]
            paragraphs.append(rng.choice([" ", "  ", " "]).join(sentences))
        yield rng.choice(["\n\n", "\n", "\r\n\r\n"]).join(paragraphs) + rng.choice(["", "\n", " "])


@lru_cache(maxsize=None)
def _whole_text_segmenter():
    return pysbd.Segmenter(language="en", clean=False)


def whole_text_spans(text):
    """What the service gave before it split in pieces: pysbd on the whole text, each sentence found in turn."""
    spans, cursor = [], 0
    for piece in _whole_text_segmenter().segment(text):
        stripped = piece.strip()
        if stripped:
            start = text.find(stripped, cursor)
            cursor = start + len(stripped)
            spans.append((start, cursor))
    return spans


@pytest.mark.parametrize("piece_chars, recheck_chars", [(2048, 512), (700, 300)])
def test_splitting_in_pieces_gives_the_spans_of_splitting_the_whole_text(piece_chars, recheck_chars):
    texts = [ARTICLE, SEED_ARTICLE, SEED_ARTICLE.replace("\n", " "), *ordinary_texts()]
    assert max(len(t) for t in texts) > 3 * piece_chars  # some texts are split in several pieces
    for text in texts:
        pieces = split_sentences(text, piece_chars=piece_chars, recheck_chars=recheck_chars)
        assert [(s.start, s.end) for s in pieces] == whole_text_spans(text), text[:200]
        assert [s.index for s in pieces] == list(range(len(pieces)))


def test_a_long_line_of_many_sentences_is_split_into_every_one_of_them():
    # A million characters on one line: pysbd alone takes minutes (its time grows with the square).
    sentences = [f"Item {n} rose by {n % 97} percent." for n in range(40_000)]
    text = " ".join(sentences)[:1_000_000]
    spans = split_sentences(text)
    complete = text.rsplit(" Item ", 1)[0]
    assert [s.text for s in spans][:-1] == sentences[:complete.count("Item ")]
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert spans[-1].end == len(text.rstrip())


@pytest.mark.parametrize("shape", ["x" * 100_000, "no stop here " * 8_000, "U.S. " * 20_000])
def test_a_long_text_without_sentence_ends_is_cut_into_pieces_that_cover_it(shape):
    spans = split_sentences(shape)
    assert all(shape[s.start:s.end] == s.text == s.text.strip() for s in spans)
    assert "".join(shape[s.start:s.end] for s in spans).replace(" ", "") == shape.replace(" ", "")
