import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.store.audit import Context
from service.store.db import database
from service.actions.seeding import DEFAULT_MANIFEST, load_seeds, split_article

SHARED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_01a8f12677df87e8.txt"
SEED_ARTICLE = DEFAULT_MANIFEST.parent / "000_01a8f12677df87e8.txt"


@pytest.fixture
def seeded(app):
    with app.app_context():
        return load_seeds(DEFAULT_MANIFEST, Context(actor="seed"))


def all_claims(client):
    items, cursor = [], None
    for _ in range(50):  # bounded: a cursor that stops advancing fails instead of hanging
        page = client.get("/claims?limit=100" + (f"&cursor={cursor}" if cursor else "")).json
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("paging never reached the last page")


@pytest.mark.skipif(not SHARED_ARTICLE.exists(), reason="shared/ is not beside the project")
def test_the_seed_article_is_a_byte_for_byte_copy():
    assert SEED_ARTICLE.read_bytes() == SHARED_ARTICLE.read_bytes()


def test_the_date_line_is_metadata_not_body():
    published, body = split_article(SEED_ARTICLE.read_text(encoding="utf-8"))
    assert published.isoformat() == "2024-03-18"
    assert body.startswith("In a significant development")


def test_every_seeded_quote_slices_the_stored_article_exactly(client, seeded):
    assert seeded.created == {"sources": 1, "speakers": 5, "claims": 9}
    [source] = client.get("/sources").json["items"]
    text = client.get(f"/sources/{source['id']}").json["text"]
    assert source["published_date"] == "2024-03-18"
    for claim in all_claims(client):
        for appearance in claim["appearances"]:
            position, quote = appearance["position_selector"], appearance["quote_selector"]
            assert text[position["start"]:position["end"]] == quote["exact"]
        provenance = client.get(f"/claims/{claim['id']}/provenance").json
        assert provenance["verified"] is True


def test_each_seeded_claim_has_the_right_speaker(client, seeded):
    speaker_of = {c["text"]: c["speaker"]["name"] for c in all_claims(client)}
    expected = {
        "Iran's armed forces chief of staff Mohammad Baqeri met Syrian Defence Minister Ali Mahmoud Abbas in Tehran.":
            "Unattributed news report",
        "Iran is ready to use its defense capabilities to support Syria.": "Mohammad Baqeri",
        "Iran's Defense Minister pledged to help Syria enhance its defense and deterrent power.":
            "Mohammad Reza Ashtiani",
        "The U.S. presence in Syria is illegal.": "Ali Mahmoud Abbas",
        "Empowering Syria is strategically important for Syria's sovereignty and for the stability of the Middle East.":
            "Ali Akbar Ahmadian",
        "Israel carried out a series of airstrikes in Damascus.": "Unattributed news report",
    }
    for text, name in expected.items():
        assert speaker_of[text] == name, text


def test_role_only_attributions_point_at_the_sentence_that_names_the_role(client, seeded):
    by_text = {c["text"]: c for c in all_claims(client)}
    condemnation = client.get(f"/claims/{by_text['The U.S. presence in Syria is illegal.']['id']}/provenance").json
    assert condemnation["appearances"][0]["sentence"]["text"].startswith("The Syrian Defence Minister, on his part")


def test_seeded_claims_leave_dates_the_article_does_not_give_unknown(client, seeded):
    assert {c["claim_date"] for c in all_claims(client)} == {None}


def test_loading_twice_creates_nothing(app, client, seeded):
    with app.app_context():
        again = load_seeds(DEFAULT_MANIFEST, Context(actor="seed"))
    assert again.created == {"sources": 0, "speakers": 0, "claims": 0}
    assert again.existing == {"sources": 1, "speakers": 5, "claims": 9}
    assert len(all_claims(client)) == 9
    assert "created 0 sources, 0 speakers, 0 claims" in again.summary()


def test_seed_command_reports_what_it_created(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "created source" in first.output and "created 1 sources, 5 speakers, 9 claims" in first.output
    second = runner.invoke(args=["seed"])
    assert "created 0 sources, 0 speakers, 0 claims" in second.output


def test_hosts_seeding_at_once_load_the_article_once(app, client):
    both_ready = threading.Barrier(2)

    def seed(_):
        with app.app_context():
            both_ready.wait()
            try:
                return load_seeds(DEFAULT_MANIFEST, Context(actor="seed")).created
            finally:
                database.close()

    with ThreadPoolExecutor(2) as pool:
        created = sorted(pool.map(seed, range(2)), key=lambda counts: counts["claims"])
    assert created == [{"sources": 0, "speakers": 0, "claims": 0}, {"sources": 1, "speakers": 5, "claims": 9}]
    assert len(client.get("/sources").json["items"]) == 1
    assert len(all_claims(client)) == 9
