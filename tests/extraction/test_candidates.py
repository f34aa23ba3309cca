"""The entry point (candidates.py): anchored, attributed, deterministic candidates, for any size of source."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.extraction import load_articles, load_seed
from service.rules.provenance import context_matches, quote_matches
from service.rules.extraction.candidates import (
    WHOLE_TEXT_LIMIT,
    propose,
    sentence_spans,
)
from service.rules.segmenting import split_sentences

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = load_articles()


@pytest.mark.parametrize("article", ARTICLES, ids=[a["file"] for a in ARTICLES])
def test_every_quote_reverifies_like_a_claims_and_lies_inside_its_sentence(article):
    text = article["text"]
    sentences = split_sentences(text)
    candidates = propose(text, publisher=article["publisher"], known_speakers=article["known_speakers"])
    assert candidates
    for candidate in candidates:
        quote = candidate.quote
        sentence = sentences[candidate.sentence_index]
        assert quote_matches(text, quote) and context_matches(text, quote)
        assert sentence.start <= quote.start < quote.end <= sentence.end
        assert quote.exact == quote.exact.strip()


def test_the_candidate_text_is_attributed_and_keeps_the_sentences_words():
    [candidate] = propose("Health Minister Maria Ortega said the ministry would open 40 new clinics by April.")
    assert candidate.text == "Maria Ortega said the ministry would open 40 new clinics by April."
    assert candidate.speaker.kind == "person"
    assert candidate.sentence_index == 0


def test_a_clause_without_its_own_subject_is_made_self_contained():
    text = "Finance Minister Daniel Reyes said the budget would cut the deficit and raise spending on schools."
    assert [c.text for c in propose(text)] == [
        "Daniel Reyes said the budget would cut the deficit.",
        "Daniel Reyes said the budget would raise spending on schools."]


def test_extraction_is_deterministic():
    text, publisher, _, known = load_seed()
    first = [c.as_dict() for c in propose(text, publisher=publisher, known_speakers=known)]
    again = [c.as_dict() for c in propose(text, publisher=publisher, known_speakers=known)]
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


def test_stored_sentence_spans_are_used_as_given():
    text = "Retail sales fell 0.8 percent in September. Unemployment rose to 5.2 percent."
    stored = split_sentences(text)
    assert [(c.sentence_index, c.quote.start) for c in propose(text, sentences=stored)] == [(0, 0), (1, 44)]


def test_a_language_without_a_pipeline_is_refused_rather_than_parsed_as_english():
    with pytest.raises(ValueError):
        propose("Die Inflation stieg im Mai auf 3 Prozent.", language="de")


def test_a_long_text_is_split_into_the_same_sentences_as_pysbd_gives_it_whole():
    paragraphs = [a["text"].strip() for a in ARTICLES]
    text = "\n\n".join(paragraphs * 3)
    assert len(text) > WHOLE_TEXT_LIMIT
    assert list(sentence_spans(text)) == split_sentences(text)


_LARGE = """
import json, sys
from benchmarks.extraction import large_source, article_of_words
from service.rules.extraction.candidates import iter_candidates
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
text = large_source() if sys.argv[1] == "large" else article_of_words(1000)
count = checked = 0
for candidate in iter_candidates(text):
    count += 1
    q = candidate.quote
    checked += text[q.start:q.end] == q.exact
print(json.dumps({"chars": len(text), "candidates": count, "checked": checked, "peak_kb": peak_kb()}))
"""


def _extract_in_a_fresh_process(size):
    out = subprocess.run([sys.executable, "-c", _LARGE, size], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_2_mb_source_is_extracted_in_bounded_memory():
    # about a minute and a half here: the 2 MB is parsed sentence by sentence in batches, so the peak
    # stays near that of a 1,000-word article rather than growing with the text
    small = _extract_in_a_fresh_process("article")
    large = _extract_in_a_fresh_process("large")
    assert large["chars"] >= 1_990_000
    assert large["candidates"] > 300 * small["candidates"] and large["checked"] == large["candidates"]
    assert large["peak_kb"] < 300 * 1024
    assert large["peak_kb"] - small["peak_kb"] < 64 * 1024
