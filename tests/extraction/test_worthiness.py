"""Check-worthiness (worthiness.py): figures, names, dates and change raise it; hedges and opinions lower it."""
from service.rules.extraction.candidates import propose
from service.rules.extraction.worthiness import check_worthiness


def worthiness(nlp, sentence):
    return check_worthiness(list(nlp(sentence)))


def score_of(text):
    [candidate] = propose(text)
    return candidate.check_worthiness


def test_figures_dates_and_a_change_over_time_raise_the_score(nlp):
    plain = worthiness(nlp, "The committee met to discuss the plan")
    figures = worthiness(nlp, "Inflation fell to 3.1 percent in October from 3.8 percent in July")
    assert figures["signals"]["figures"] and figures["signals"]["dates"] and figures["signals"]["comparison"]
    assert not plain["signals"]["figures"]
    assert figures["score"] > plain["score"] + 0.4


def test_named_people_and_places_are_a_signal(nlp):
    found = worthiness(nlp, "Negotiators from Valdora and Kestria met in Geneva")
    assert {"Geneva"} <= set(found["signals"]["names"])


def test_a_hedged_statement_scores_below_the_same_statement_made_plainly():
    hedged = score_of("The minister said the number of cases could double by June.")
    plain = score_of("The minister said the number of cases doubled by June.")
    assert hedged["signals"]["hedged"] == ["could"]
    assert hedged["score"] < plain["score"]


def test_an_opinion_verb_scores_below_a_factual_report():
    opinion = score_of("Opposition leader Karen Holt called the plan reckless.")
    report = score_of("Opposition leader Karen Holt said the plan cost 3 billion dollars.")
    assert "call" in opinion["signals"]["opinion"]
    assert opinion["score"] < report["score"]


def test_a_thought_reported_as_such_is_an_opinion():
    found = score_of("Councillor Ben Ruiz said he thinks the mayor has neglected the bus network.")
    assert "think" in found["signals"]["opinion"]


def test_the_score_stays_between_0_and_1(nlp):
    for sentence in ["Prices rose 5 percent, 10 percent and 20 percent in 2024 versus 2023 in Paris and Rome",
                     "He might perhaps probably think it could be wrong"]:
        assert 0.0 <= worthiness(nlp, sentence)["score"] <= 1.0
