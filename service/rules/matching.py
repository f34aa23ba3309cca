"""Claim matching: the stored claims most likely to be the same claim as a new text, so a
fact-checker sees prior work before recording a duplicate.

Candidates come from the full-text index (shared words: see search.candidates); each is then scored
from 0 to 1 by how many content words the two share (after light stemming) and how alike their
letters are (character trigrams, which catch inflections and compounds the stemmer misses). Numbers
weigh heavily: "unemployment fell to 5.1%" and "... to 6%" are different claims to a fact-checker.
"""
import math
import re

CANDIDATES = 50
LIKELY_DUPLICATE = 0.5  # a score at or above this is reported when a claim is created
STOPWORDS = frozenset("""
a about after all also an and any are as at be been being but by can could did do does for from had has
have he her his how i if in into is it its itself more most no not of on or our over she so than that the
their them then there these they this those to up was we were what when which who will with would you
""".split())
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


def _stem(word):
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _number(token):
    return token.replace(",", "")


def features(text):
    """(content stems, numbers, character trigrams) of a text."""
    tokens = _WORD.findall(text.lower())
    numbers = {_number(t) for t in tokens if t[0].isdigit()}
    words = {_stem(t) for t in tokens if not t[0].isdigit() and t not in STOPWORDS}
    flat = " ".join(tokens)
    trigrams = {flat[i:i + 3] for i in range(len(flat) - 2)}
    return words | numbers, numbers, trigrams


def similarity(a, b):
    words_a, numbers_a, grams_a = features(a)
    words_b, numbers_b, grams_b = features(b)
    if not words_a or not words_b:
        return 0.0
    overlap = len(words_a & words_b) / math.sqrt(len(words_a) * len(words_b))
    letters = len(grams_a & grams_b) / len(grams_a | grams_b) if grams_a | grams_b else 0.0
    score = 0.65 * overlap + 0.35 * letters
    if numbers_a and numbers_b:
        # the same words about other figures make another claim: the more figures differ, the less alike
        agreement = len(numbers_a & numbers_b) / len(numbers_a | numbers_b)
        score *= 0.3 + 0.7 * agreement ** 2
    elif numbers_a or numbers_b:
        score *= 0.85  # one gives a figure the other does not
    return round(score, 4)
