"""Which sentences carry statements and which words carry each (statements.py), sentence by sentence."""
import pytest

from service.rules.extraction.statements import find_frames, is_heading, is_question


def frames(nlp, sentence):
    return [(f.kind, sentence[f.start:f.end]) for f in find_frames(nlp(sentence), sentence)]


@pytest.mark.parametrize("line", ["Strengthening Bilateral Ties", "What parents should know",
                                  "Future Outlook on Iran-Syria Relations"])
def test_a_heading_carries_no_statement(nlp, line):
    assert is_heading(line)
    assert frames(nlp, line) == []


@pytest.mark.parametrize("sentence", ["Will it pass there?", "Is your child protected?",
                                      "“Who is going to fix the buses?”"])
def test_a_question_carries_no_statement(nlp, sentence):
    assert is_question(sentence)
    assert frames(nlp, sentence) == []


def test_a_quoted_question_with_its_speaker_carries_no_statement(nlp):
    assert frames(nlp, "“Who will pay for the new hospital?” the mayor asked.") == []
    assert frames(nlp, "Ruiz asked a crowd of supporters.") == []


@pytest.mark.parametrize("sentence", [
    "The city's transport agency did not respond to a request for comment.",
    "The ministry did not say how many of the cases required hospital treatment.",
    "The company declined to comment on the report.",
])
def test_a_sentence_about_the_reporting_itself_carries_no_statement(nlp, sentence):
    assert frames(nlp, sentence) == []


def test_reported_speech_quotes_what_was_said_without_that(nlp):
    assert frames(nlp, "The governor said on Monday that inflation had slowed to 3.1 percent.") == [
        ("reported", "inflation had slowed to 3.1 percent")]


def test_a_statement_before_its_attribution_is_quoted_without_the_attribution(nlp):
    assert frames(nlp, "At least 14 civilians were killed in the attacks, the United Nations said.") == [
        ("reported", "At least 14 civilians were killed in the attacks")]


def test_two_things_said_with_and_are_two_statements_the_second_sharing_the_subject(nlp):
    sentence = "The minister said the budget would cut the deficit to 2 percent and raise school spending by 6 percent."
    found = find_frames(nlp(sentence), sentence)
    assert [sentence[f.start:f.end] for f in found] == ["the budget would cut the deficit to 2 percent",
                                                         "raise school spending by 6 percent"]
    assert found[1].borrowed == "the budget would"


def test_said_this_and_that_that_is_two_statements(nlp):
    sentence = "The agency said food prices had doubled and that its warehouses were nearly empty."
    assert frames(nlp, sentence) == [("reported", "food prices had doubled"),
                                     ("reported", "its warehouses were nearly empty")]


def test_a_speech_verb_with_an_object_quotes_the_verb_phrase(nlp):
    sentence = ("The Syrian Defence Minister, on his part, condemned the illegal U.S. presence in Syria and "
                "underscored the importance of resistance against destabilizing entities.")
    assert frames(nlp, sentence) == [
        ("verb_phrase", "condemned the illegal U.S. presence in Syria"),
        ("verb_phrase", "underscored the importance of resistance against destabilizing entities")]


def test_direct_speech_quotes_the_words_inside_the_marks_without_the_closing_comma(nlp):
    assert frames(nlp, "“We have lost more than 200 nurses since 2022,” said union spokesperson Mark Ellis.") == [
        ("direct", "We have lost more than 200 nurses since 2022")]


def test_a_sentence_that_is_all_quotation_continues_the_quote_before_it(nlp):
    assert frames(nlp, "“Many of them went to private clinics.”") == [
        ("continued", "Many of them went to private clinics")]


def test_according_to_quotes_the_statement_and_names_who_released_it(nlp):
    sentence = ("Measles cases rose to 412 in March, up from 260 in February, according to figures released by "
                "the Ministry of Health on Monday.")
    [found] = find_frames(nlp(sentence), sentence)
    assert (found.kind, sentence[found.start:found.end]) == (
        "according", "Measles cases rose to 412 in March, up from 260 in February")
    assert "Ministry" in [t.text for t in found.subject]


def test_the_articles_own_voice_is_one_statement_per_clause(nlp):
    sentence = "Steel imports rose by 35 percent last year, and domestic output fell to its lowest level in decades."
    assert frames(nlp, sentence) == [("narrated", "Steel imports rose by 35 percent last year"),
                                     ("narrated", "domestic output fell to its lowest level in decades")]


@pytest.mark.parametrize("sentence", [
    "The trial also found that 6 percent of patients stopped taking the drug.",
    "Police data published in January show a 9 percent drop over the same period.",
    "This meeting underscored both nations' commitment to bolster Syria's defense mechanisms.",
])
def test_a_subject_that_cannot_speak_makes_the_sentence_the_articles_own_voice(nlp, sentence):
    assert [kind for kind, _ in frames(nlp, sentence)] == ["narrated"]


def test_a_country_expressing_a_position_inside_a_narrated_sentence_is_speech(nlp):
    sentence = ("The discussions focused on strategic military cooperation, with Iran expressing readiness to "
                "leverage its defense capabilities to support Syria.")
    [found] = find_frames(nlp(sentence), sentence)
    assert found.kind == "verb_phrase"
    assert [t.text for t in found.subject] == ["Iran"]


def test_the_second_half_of_a_quote_split_by_its_speech_verb_is_said_by_the_same_subject(nlp):
    sentence = "“We cannot keep promising what we cannot pay for,” she said, “and the numbers are clear.”"
    found = find_frames(nlp(sentence), sentence)
    assert [sentence[f.start:f.end] for f in found] == ["We cannot keep promising what we cannot pay for",
                                                         "and the numbers are clear"]
    assert [[t.text for t in f.subject] for f in found] == [["she"], ["she"]]


@pytest.mark.parametrize("sentence, kind", [
    ("Trade unions have called a national strike for June 3.", "narrated"),
    ("The union called for a national strike.", "verb_phrase"),
    ("Opposition leader Karen Holt called the plan reckless.", "verb_phrase"),
])
def test_calling_a_strike_is_an_act_and_calling_for_one_or_calling_something_reckless_is_speech(nlp, sentence, kind):
    assert [k for k, _ in frames(nlp, sentence)] == [kind]


def test_a_speech_verb_in_the_passive_is_said_of_its_subject_not_by_it(nlp):
    assert frames(nlp, "Health officials are expected to publish national figures next month.") == [
        ("narrated", "Health officials are expected to publish national figures next month")]


def test_an_expectation_is_reported_speech_of_whoever_holds_it(nlp):
    sentence = "Whitaker expects prices to fall by a further 3 percent next year."
    [found] = find_frames(nlp(sentence), sentence)
    assert (found.kind, sentence[found.start:found.end]) == ("reported", "prices to fall by a further 3 percent next year")


def test_a_group_of_people_speaking_as_one_is_a_speaker(nlp):
    sentence = "Critics say that target has been missed every year since it was set."
    [found] = find_frames(nlp(sentence), sentence)
    assert (found.kind, [t.text for t in found.subject]) == ("reported", ["Critics"])


def test_what_figures_from_a_named_source_show_is_that_sources_statement(nlp):
    sentence = ("Average house prices fell 2.3 percent in the year to September, the first annual fall since "
                "2015, figures from the Land Registry showed.")
    [found] = find_frames(nlp(sentence), sentence)
    assert (found.kind, sentence[found.start:found.end]) == (
        "according", "Average house prices fell 2.3 percent in the year to September, the first annual fall since 2015")
    assert [t.text for t in found.subject] == ["the", "Land", "Registry"]


def test_a_claim_nobody_could_verify_is_about_the_reporting(nlp):
    assert frames(nlp, "Neither claim could be independently verified.") == []


def test_a_report_the_parser_read_as_a_noun_phrase_is_still_reported_speech(nlp):
    sentence = ("The Varsk Courier, a local newspaper, reported on Monday that NLF fighters had withdrawn from "
                "the town of Ostrel.")
    [found] = find_frames(nlp(sentence), sentence)
    assert (found.kind, sentence[found.start:found.end]) == (
        "reported", "NLF fighters had withdrawn from the town of Ostrel")
    assert "Courier" in [t.text for t in found.subject]
