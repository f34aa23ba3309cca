"""Extraction measured on the labelled set (issue 14's targets) and on the seed article's curated claims."""
from dataclasses import dataclass

import pytest

from benchmarks.extraction import ARTICLES, HELD_OUT, load_articles, quality, seed_check
from service.rules.extraction import evaluation
from service.rules.segmenting import split_sentences

LABELLED = load_articles(ARTICLES)


def test_the_labelled_set_covers_the_topics_and_cases_the_issue_asks_for():
    assert len(LABELLED) >= 10
    assert {a["topic"] for a in LABELLED} >= {"politics", "health", "economy", "conflict"}
    texts = " ".join(a["text"] for a in LABELLED)
    assert "?" in texts and "“" in texts  # questions and direct speech
    assert any(a["known_speakers"] for a in LABELLED) and any(a["publisher"] is None for a in LABELLED)


@pytest.mark.parametrize("folder", [ARTICLES, HELD_OUT], ids=["labelled", "held-out"])
def test_every_labelled_quote_occurs_once_inside_one_sentence(folder):
    for article in load_articles(folder):
        sentences = split_sentences(article["text"])
        for statement in article["statements"]:
            assert article["text"].count(statement["quote"]) == 1, statement
            assert sum(statement["quote"] in s.text for s in sentences) == 1, statement
            assert isinstance(statement["worthy"], bool) and statement["speaker"]


def test_the_labelled_set_meets_the_issues_targets():
    _, figures = quality(LABELLED)
    assert figures["precision"] >= 0.85
    assert figures["recall"] >= 0.85
    assert figures["speaker_accuracy"] >= 0.9
    assert figures["quote_overlap"] >= 0.8


def test_every_curated_seed_claims_sentence_is_proposed_with_the_curated_speaker():
    claims, misses = seed_check()
    assert len(claims) == 9
    assert misses == []


# ---- the evaluation itself, on made-up candidates ----

@dataclass
class _Quote:
    start: int
    end: int


@dataclass
class _Speaker:
    name: str


@dataclass
class _Candidate:
    sentence_index: int
    quote: _Quote
    speaker: _Speaker
    check_worthiness: dict


def candidate(sentence, start, end, name, score=0.5):
    return _Candidate(sentence, _Quote(start, end), _Speaker(name), {"score": score})


def test_overlap_is_intersection_over_union_of_the_character_spans():
    assert evaluation.overlap(0, 10, 0, 10) == 1.0
    assert evaluation.overlap(0, 10, 5, 15) == pytest.approx(5 / 15)
    assert evaluation.overlap(0, 10, 10, 20) == 0.0


def test_each_gold_statement_and_each_candidate_match_at_most_once_best_overlap_first():
    gold = [evaluation.Gold(0, 0, 10, "A", True), evaluation.Gold(0, 12, 20, "B", False)]
    candidates = [candidate(0, 0, 20, "A"), candidate(0, 12, 20, "B"), candidate(1, 30, 40, "C")]
    assert evaluation.match(gold, candidates) == [(0, 0, 0.5), (1, 1, 1.0)]
    result = evaluation.evaluate_article(gold, candidates)
    assert (result["matched"], result["speaker_correct"], result["extra"]) == (2, 2, [2])


def test_speakers_compare_without_case_or_a_leading_the():
    assert evaluation.same_speaker("The United Nations", "united nations")
    assert not evaluation.same_speaker("Samuel Okafor", "Maria Ortega")
    assert not evaluation.same_speaker(None, "Maria Ortega")


def test_precision_at_5_counts_worthy_statements_among_the_five_highest_scores():
    gold = [evaluation.Gold(i, 10 * i, 10 * i + 5, "A", i % 2 == 0) for i in range(6)]
    candidates = [candidate(i, 10 * i, 10 * i + 5, "A", score=1 - i / 10) for i in range(6)]
    pairs = evaluation.match(gold, candidates)
    # top five are sentences 0..4, of which 0, 2 and 4 are worthy
    assert evaluation.precision_at(5, gold, candidates, pairs) == pytest.approx(3 / 5)


def test_the_summary_pools_statements_across_articles():
    per_article = [{"gold": 4, "candidates": 5, "matched": 4, "speaker_correct": 3, "overlap_sum": 3.2, "p_at_5": 0.6},
                   {"gold": 6, "candidates": 5, "matched": 5, "speaker_correct": 5, "overlap_sum": 5.0, "p_at_5": 1.0}]
    figures = evaluation.summarise(per_article)
    assert figures["precision"] == pytest.approx(9 / 10)
    assert figures["recall"] == pytest.approx(9 / 10)
    assert figures["speaker_accuracy"] == pytest.approx(8 / 9)
    assert figures["quote_overlap"] == pytest.approx(8.2 / 9)
    assert figures["p_at_5"] == pytest.approx(0.8)
