"""The status rules, pair by pair, tested directly."""
import itertools
import json

import pytest

from service.rules import workflow
from service.errors import Invalid, InvalidTransition

VERDICTS = workflow.DEFAULT_SCALE.ids
ALLOWED = {
    ("unverified", "in_review"), ("unverified", "retracted"),
    ("in_review", "in_review"), ("in_review", "retracted"),
    *(("in_review", v) for v in VERDICTS),
    *((v, "in_review") for v in VERDICTS),
    *((v, "retracted") for v in VERDICTS),
}
ALL_PAIRS = list(itertools.product(workflow.statuses(), repeat=2))


@pytest.mark.parametrize("current, target", [p for p in ALL_PAIRS if p in ALLOWED])
def test_allowed_transition(current, target):
    workflow.check_transition(current, target)


@pytest.mark.parametrize("current, target", [p for p in ALL_PAIRS if p not in ALLOWED])
def test_refused_transition_names_the_allowed_ones(current, target):
    with pytest.raises(InvalidTransition) as refused:
        workflow.check_transition(current, target)
    for allowed in workflow.allowed_next(current):
        assert allowed in refused.value.detail
    if current == "retracted":
        assert "stays retracted" in refused.value.detail


def test_verdicts_reopening_and_retraction_need_a_reason():
    assert workflow.needs_reason("in_review", "false")
    assert workflow.needs_reason("false", "in_review")
    assert workflow.needs_reason("unverified", "retracted")
    assert not workflow.needs_reason("unverified", "in_review")


def test_the_default_scale_maps_every_verdict_to_a_claimreview_rating():
    scale = workflow.DEFAULT_SCALE
    assert (scale.best_rating, scale.worst_rating) == (6, 1)
    assert scale.get("true").rating_value == 6 and scale.get("pants_on_fire").rating_value == 1
    assert all(v.label for v in scale.verdicts)


def test_a_deployment_can_replace_the_scale(tmp_path):
    path = tmp_path / "scale.json"
    path.write_text(json.dumps({"best_rating": 1, "worst_rating": 3, "verdicts": [
        {"id": "correct", "label": "Correct", "rating_value": 1},
        {"id": "misleading", "label": "Misleading", "rating_value": 2},
        {"id": "wrong", "label": "Wrong", "rating_value": 3},
    ]}))
    scale = workflow.load_scale(path)
    workflow.use_scale(scale)
    try:
        assert workflow.statuses() == ("unverified", "in_review", "correct", "misleading", "wrong", "retracted")
        workflow.check_transition("in_review", "misleading")
        with pytest.raises(Invalid):  # the default scale's verdicts are not statuses any more
            workflow.check_transition("in_review", "false")
    finally:
        workflow.use_scale(workflow.DEFAULT_SCALE)


@pytest.mark.parametrize("bad", [
    {"best_rating": 5, "worst_rating": 1, "verdicts": []},
    {"best_rating": 5, "worst_rating": 1, "verdicts": [{"id": "retracted", "label": "x", "rating_value": 1}]},
    {"best_rating": 5, "worst_rating": 1, "verdicts": [{"id": "a", "label": "A", "rating_value": 9}]},
    {"best_rating": 1, "worst_rating": 1, "verdicts": [{"id": "a", "label": "A", "rating_value": 1}]},
])
def test_a_broken_scale_file_is_refused(tmp_path, bad):
    path = tmp_path / "scale.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ValueError):
        workflow.load_scale(path)
