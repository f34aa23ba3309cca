"""The pinned pipeline, loaded once for the extraction tests that parse sentences directly."""
import pytest

from service.rules.extraction import pipeline


@pytest.fixture(scope="session")
def nlp():
    return pipeline.load()
