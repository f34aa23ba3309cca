"""Helpers for the extraction tests: sentences parsed by the pinned pipeline, and whole articles."""
import pytest

from service.rules.extraction import pipeline
from service.rules.extraction.candidates import propose
from service.rules.extraction.speakers import SourceSpeakers


@pytest.fixture(scope="session")
def nlp():
    return pipeline.load()


@pytest.fixture
def parse(nlp):
    return nlp


@pytest.fixture
def read():
    """Read sentences in order into a SourceSpeakers (one paragraph each list) and return it."""
    def reading(*paragraphs, known=(), publisher=None):
        registry = SourceSpeakers(known, publisher)
        nlp = pipeline.load()
        for paragraph in paragraphs:
            registry.new_paragraph()
            for sentence in paragraph:
                registry.remember_entities(nlp(sentence))
        return registry
    return reading


def speakers_of(text, **options):
    """(quote, speaker name, how) of each candidate of `text`."""
    return [(c.quote.exact, c.speaker.name, c.speaker.how) for c in propose(text, **options)]
