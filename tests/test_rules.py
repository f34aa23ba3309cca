"""Rules tested directly, where that says more than going through HTTP."""
import pytest

from service.errors import Invalid, QuoteNotFound
from service.store.paging import decode_cursor, encode_cursor
from service.rules.provenance import anchor_quote
from service.rules.segmenting import Span, split_sentences


def test_abbreviations_do_not_end_a_sentence():
    spans = split_sentences("Officials in the U.S. said so. Dr. Smith of Washington D.C. agreed.")
    assert [s.text for s in spans] == ["Officials in the U.S. said so.", "Dr. Smith of Washington D.C. agreed."]


def test_a_heading_without_punctuation_is_its_own_segment():
    text = "Strengthening Bilateral Ties\n\nThe meeting went well."
    assert [s.text for s in split_sentences(text)] == ["Strengthening Bilateral Ties", "The meeting went well."]


def test_offsets_slice_the_text_exactly_even_with_odd_whitespace():
    text = "  First one.\r\n\tSecond — with “quotes”!   Third?\n"
    for span in split_sentences(text):
        assert text[span.start:span.end] == span.text
        assert span.text == span.text.strip()


def test_a_repeated_quote_anchors_to_its_first_place_in_the_sentence():
    text = "Intro. He said yes, and then yes again."
    sentence = Span(1, 7, len(text), text[7:])
    anchor = anchor_quote(text, sentence, "yes")
    assert (anchor.start, anchor.end) == (15, 18)
    assert anchor.prefix == text[:15][-32:]


def test_a_missing_quote_raises_quote_not_found():
    sentence = Span(0, 0, 5, "Hello")
    with pytest.raises(QuoteNotFound):
        anchor_quote("Hello", sentence, "bye")


@pytest.mark.parametrize("cursor", ["", "!!", encode_cursor("x"), encode_cursor(-1), encode_cursor(True)])
def test_cursors_not_made_here_are_refused(cursor):
    with pytest.raises(Invalid):
        decode_cursor(cursor)


def test_a_cursor_round_trips():
    assert decode_cursor(encode_cursor(12345)) == 12345


def test_the_occurrence_at_an_offset_counts_every_place_the_quote_starts_before_it():
    from service.rules.provenance import occurrence_at

    sentence = "He said no, and then he said no again."
    assert occurrence_at(sentence, "said no", sentence.index("said no")) == 1
    assert occurrence_at(sentence, "said no", sentence.rindex("said no")) == 2
    assert occurrence_at("aaaa", "aa", 2) == 3  # overlapping places count, as anchor_quote counts them
