"""schemas/fastload.py loads exactly as marshmallow does: for a full import line and every change of one
of its values to something else (another type, an edge of a limit, a near-UUID, a naive time), a missing
key or an unknown one, the quick loader gives the same result or the same error as `schema.load`."""
import copy

import pytest
from marshmallow import ValidationError

from schemas import fastload
from schemas.bulk import ClaimLineSchema

TEXT = "Officials met on Monday. Exports rose 12 percent in 2023, the ministry said."
SOURCE_ID = "9812c1df-63a9-4179-97c8-401638968eac"
LINE = {
    "id": "f0f32d54-46b8-4aa3-b7cc-8f5fe386fa29", "external_id": "liar:1", "text": "Exports rose 12 percent.",
    "claim_date": "2024-03-17", "status": "half_true", "tags": ["economy", "trade"],
    "created_at": "2024-03-18T09:00:00+00:00", "updated_at": "2024-03-18T10:00:00.500000+01:00", "version": 3,
    "speaker": {"id": "ca966340-d71d-40a2-bfd0-6c89c53f3076", "name": "Jane Doe", "kind": "person",
                "aliases": ["J. Doe"], "role": "Minister", "affiliation": None, "region": "Texas",
                "external_id": "Q42", "version": 2, "created_at": "2024-03-18T09:00:00+00:00",
                "updated_at": "2024-03-18T09:00:00+00:00"},
    "appearances": [{"id": "ce783d4e-c1ad-4840-abce-c9afd3194768", "source_id": SOURCE_ID, "sentence_index": 1,
                     "quote_selector": {"type": "TextQuoteSelector", "exact": "Exports rose 12 percent",
                                        "prefix": "Officials met on Monday. ", "suffix": " in 2023, the"},
                     "position_selector": {"type": "TextPositionSelector", "start": 25, "end": 48},
                     "created_at": "2024-03-18T09:00:00+00:00"}],
    "reviews": [{"id": "1cb83db0-ca4a-4d6a-b315-9f0bfc775767", "status": "in_review", "verdict": None,
                 "rationale": None, "reviewer": "Ada", "evidence": [], "created_at": "2024-03-18T09:30:00+00:00"},
                {"id": "7496e14d-476b-4766-be0f-3006463acd7d", "status": "half_true", "verdict": "half_true",
                 "rationale": "Partly.", "reviewer": "Bo", "created_at": "2024-03-18T10:00:00+00:00",
                 "evidence": [{"stance": "refutes", "source_id": SOURCE_ID, "sentence_index": 1,
                               "note": "the ministry"},
                              {"stance": "context", "url": "https://stats.example/exports", "source_id": None,
                               "sentence_index": None, "note": None}]}],
    "sources": [{"id": SOURCE_ID, "title": "Budget speech", "text": TEXT, "url": "https://news.example/a",
                 "publisher": "Example News", "published_date": "2024-03-18", "language": "en",
                 "sha256": "0" * 64, "created_at": "2024-03-18T09:00:00+00:00", "sentences": [[0, 24], [25, 77]]}],
}
OTHER_VALUES = [
    None, True, False, 0, 1, -1, 2**70, 1.0, 1.5, "", "x", "a\x00b", "a" * 2001, "1",
    "F0F32D54-46B8-4AA3-B7CC-8F5FE386FA29", "f0f32d5446b84aa3b7cc8f5fe386fa29", "2024-01-01",
    "2024-01-01T00:00:00", "2024-01-01T00:00:00Z", "https://example.org/x", "not a url", "in_review",
    [], [1, 2], [[0, 1]], [[True, 1]], [[0, 1.0]], ["a"], {}, {"x": 1},
]


def paths(value, path=()):
    """Every place in the line: dict keys and list items, nested."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield (*path, key)
        yield from paths(inner, (*path, key))


def changed(line, path, new):
    line = copy.deepcopy(line)
    *to_parent, last = path
    parent = line
    for key in to_parent:
        parent = parent[key]
    if new is KeyError:
        del parent[last]
    else:
        parent[last] = new
    return line


def dicts(value, path=()):
    if isinstance(value, dict):
        yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from dicts(inner, (*path, key))


def variants():
    yield "as is", LINE
    for path in paths(LINE):
        yield f"{path} removed", changed(LINE, path, KeyError)
        for new in OTHER_VALUES:
            yield f"{path} = {new!r:.40}", changed(LINE, path, new)
    for path in dicts(LINE):
        yield f"unknown key in {path}", changed(LINE, (*path, "surprise"), 1)


def outcome(load, line):
    try:
        return "loaded", load(copy.deepcopy(line))
    except ValidationError as error:
        return "refused", error.messages


def test_the_quick_loader_loads_exactly_as_marshmallow_does(subtests):
    schema = ClaimLineSchema()
    quick = fastload.fast_loader(schema)
    for name, line in variants():
        with subtests.test(name):
            assert outcome(quick, line) == outcome(schema.load, line)


def test_a_plainly_valid_line_never_needs_marshmallow():
    loaded = fastload._schema_loader(ClaimLineSchema())(copy.deepcopy(LINE))
    assert loaded == ClaimLineSchema().load(copy.deepcopy(LINE))


@pytest.mark.parametrize("new", [True, 1.0, "1"])
def test_a_span_that_is_not_a_plain_integer_goes_to_marshmallow(new):
    with pytest.raises(fastload._NotPlain):
        fastload._schema_loader(ClaimLineSchema())(changed(LINE, ("sources", 0, "sentences", 1, 0), new))
