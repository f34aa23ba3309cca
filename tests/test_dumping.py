"""The compiled dump (schemas/base.py) gives exactly what marshmallow's own dump gives."""
import uuid
from datetime import date, datetime

import marshmallow
import pytest
from marshmallow import fields, post_dump

from schemas.base import Schema
from schemas.fields import Id, UtcDateTime


class Inner(Schema):
    name = fields.String(required=True)
    when = UtcDateTime(allow_none=True)


class Outer(Schema):
    id = Id(required=True)
    label = fields.String(attribute="title", data_key="@label")
    count = fields.Integer()
    score = fields.Float()
    flag = fields.Boolean()
    day = fields.Date(allow_none=True)
    tags = fields.List(fields.String())
    inner = fields.Nested(Inner, allow_none=True)
    inners = fields.List(fields.Nested(Inner))
    many_inners = fields.Nested(Inner, many=True)
    extra = fields.Dict()
    fallback = fields.String(dump_default="none given")
    secret = fields.String(load_only=True)


class Tree(Schema):
    name = fields.String()
    children = fields.List(fields.Nested(lambda: Tree()))
    parent_name = fields.Pluck(lambda: Tree(), "name")
    label = fields.String(attribute="meta.label")


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def shout(self, data, **kwargs):
        return {**data, "name": data["name"].upper()}


def marshmallow_dump(schema, obj, many=None):
    """marshmallow's own dump all the way down, nested schemas included."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Schema, "dump", marshmallow.Schema.dump)
        return schema.dump(obj, many=many)


class Row:
    """An object read by attribute, as a peewee row is."""

    def __init__(self, **values):
        self.__dict__.update(values)


SAMPLES = [
    {},
    {"id": uuid.UUID(int=7), "title": "T", "count": 3, "score": 0.25, "flag": True, "day": date(2024, 3, 18),
     "tags": ["a", None], "inner": {"name": "n", "when": datetime(2024, 3, 18, 9, 30)},
     "inners": [{"name": "x", "when": None}, None], "many_inners": [{"name": "y"}], "extra": {"k": [1]},
     "fallback": "given", "secret": "never shown"},
    {"id": "c0ffee00-0000-4000-8000-000000000000", "title": b"bytes", "count": "4", "score": 1, "flag": 0,
     "day": None, "tags": [], "inner": None, "inners": [], "many_inners": []},
    Row(id="c0ffee00-0000-4000-8000-000000000001", title="row", count=1, inner=Row(name="nested row", when=None)),
]


@pytest.mark.parametrize("sample", SAMPLES, ids=["empty", "every-field", "odd-types", "object"])
def test_compiled_dump_matches_marshmallow_for_every_kind_of_field(sample):
    assert Outer().dump(sample) == marshmallow_dump(Outer(), sample)


def test_many_dumps_each_item():
    assert Outer(many=True).dump(SAMPLES[:3]) == marshmallow_dump(Outer(many=True), SAMPLES[:3])


def test_nested_in_itself_plucked_and_dotted_fields_dump_as_marshmallow_would():
    tree = {"name": "root", "parent_name": None, "meta": {"label": "the root"}, "children": [
        {"name": "leaf", "children": [], "parent_name": {"name": "root"}}]}
    assert Tree().dump(tree) == marshmallow_dump(Tree(), tree)
    assert Tree().dump(tree)["children"][0]["parent_name"] == "root"
    assert Tree().dump(tree)["label"] == "the root"


def test_a_schema_is_compiled_once_however_many_times_it_is_made():
    assert Outer().compiled_dump() is Outer().compiled_dump()
    assert Outer(only=["id"]).compiled_dump() is not Outer().compiled_dump()
    assert Outer(only=["id"]).dump(SAMPLES[1]) == {"id": "00000000-0000-0000-0000-000000000007"}


def test_schema_hooks_still_run():
    assert Hooked().dump({"name": "quiet"}) == {"name": "QUIET"}


@pytest.fixture
def every_dump_checked(monkeypatch):
    """Every response the app dumps is dumped both ways; differences are collected."""
    compiled, differences = Schema.dump, []

    def dump_both(schema, obj, *, many=None):
        fast = compiled(schema, obj, many=many)
        slow = marshmallow_dump(schema, obj, many=many)
        if fast != slow:
            differences.append((type(schema).__name__, fast, slow))
        return fast

    monkeypatch.setattr(Schema, "dump", dump_both)
    return differences


def test_every_response_of_a_claims_life_dumps_as_marshmallow_would(client, api, every_dump_checked):
    speaker = api.speaker("Ada Example", aliases=["A. Example"], role="Minister")
    claim = api.claim(speaker=speaker, tags=["economy", "trade"], claim_date="2024-03-01")
    answered = client.post(f"/claims/{claim['id']}/reviews", json={}, headers={"If-Match": '"v1"'})
    assert answered.status_code == 201
    verdict = client.post(f"/claims/{claim['id']}/reviews", headers={"If-Match": '"v2"'}, json={
        "verdict": "false", "rationale": "Customs data show a fall.",
        "evidence": [{"url": "https://example.org/customs", "stance": "refutes"}]})
    assert verdict.status_code == 201, verdict.json
    for path in (f"/claims/{claim['id']}", "/claims?limit=5", "/claims?q=exports", f"/claims/{claim['id']}/reviews",
                 f"/claims/{claim['id']}/history", f"/claims/{claim['id']}/provenance",
                 f"/claims/{claim['id']}/claimreview", "/speakers", f"/speakers/{speaker['id']}", "/sources",
                 "/audit", "/verdicts", "/claims/nope"):
        client.get(path)
    client.post("/claims/match", json={"text": "exports rose"})
    assert every_dump_checked == []
