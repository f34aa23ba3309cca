"""The prepared writes every action uses: `create` stores the row peewee's own create would, and
`save_changes` writes a change only over the version it was read at."""
import datetime

import pytest

from service.errors import StaleVersion
from service.store.db import create
from service.store.models import Claim, Speaker
from service.store.versioning import next_version, save_changes


def _stored(model, row_id):
    """The row as peewee reads it back, every column by name."""
    return model.select().where(model.id == row_id).dicts().get()


def test_create_stores_what_peewee_create_stores_defaults_links_and_json_included(db):
    speaker = create(Speaker, name="Ada Minister", aliases=["Ada M."], role="Finance Minister")
    same = Speaker.create(name="Ada Minister", aliases=["Ada M."], role="Finance Minister")
    mine, theirs = _stored(Speaker, speaker.id), _stored(Speaker, same.id)
    for varies in ("id", "uid", "created_at", "updated_at"):
        mine.pop(varies), theirs.pop(varies)
    assert mine == theirs
    assert mine["aliases"] == ["Ada M."] and mine["version"] == 1 and mine["kind"] == "person"

    claim = create(Claim, text="Unemployment fell.", speaker=speaker.id, claim_date=datetime.date(2024, 3, 1),
                   tags=["economy", "jobs"])
    stored = _stored(Claim, claim.id)
    assert claim.id > 0 and stored["uid"] == claim.uid
    assert (stored["speaker"], stored["claim_date"], stored["tags"]) == (speaker.id, datetime.date(2024, 3, 1),
                                                                         ["economy", "jobs"])
    assert (stored["status"], stored["version"], stored["created_at"]) == ("unverified", 1, claim.created_at)


def test_a_change_is_saved_over_the_version_it_was_read_at_and_a_stale_one_changes_nothing(db):
    claim = create(Claim, text="Prices rose.", tags=["economy"])
    stale = Claim.get_by_id(claim.id)

    claim.tags, claim.status = ["economy", "prices"], "in_review"
    next_version(claim)
    save_changes(claim)
    stored = _stored(Claim, claim.id)
    assert (stored["tags"], stored["status"], stored["version"]) == (["economy", "prices"], "in_review", 2)

    stale.text = "Prices fell."
    next_version(stale)
    with pytest.raises(StaleVersion) as refused:
        save_changes(stale)
    assert refused.value.headers == {"ETag": '"v2"'}
    assert _stored(Claim, claim.id) == stored
