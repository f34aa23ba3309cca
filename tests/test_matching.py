"""Claim matching: POST /claims/match, duplicates reported on create, and its quality measured."""
from pathlib import Path

import yaml

from service.store import search
from service.rules.matching import similarity

CASES = yaml.safe_load((Path(__file__).parent / "matching_cases.yaml").read_text(encoding="utf-8"))


def store_the_labelled_claims(client, api):
    """Each stored claim from its own sentence of one source; returns {label: claim id}."""
    labels = list(CASES["stored"])
    source = api.source(text=" ".join(CASES["stored"][label] for label in labels))
    speaker = api.speaker()
    return {label: api.claim(source=source, speaker=speaker, sentence_index=index, quote=None,
                             text=CASES["stored"][label])["id"]
            for index, label in enumerate(labels)}


def test_precision_at_1_on_the_labelled_paraphrases(client, api, capsys):
    ids = store_the_labelled_claims(client, api)
    hits = 0
    misses = []
    for label, paraphrase in CASES["paraphrases"]:
        response = client.post("/claims/match", json={"text": paraphrase, "limit": 3})
        assert response.status_code == 200
        matches = response.json["matches"]
        if matches and matches[0]["claim"]["id"] == ids[label]:
            hits += 1
        else:
            misses.append(paraphrase)
    precision = hits / len(CASES["paraphrases"])
    with capsys.disabled():
        print(f"\nclaim matching: precision@1 = {precision:.2f} ({hits}/{len(CASES['paraphrases'])});"
              f" missed: {misses}")
    assert precision >= 0.8


def test_matches_come_best_first_with_scores_between_0_and_1(client, api):
    store_the_labelled_claims(client, api)
    matches = client.post("/claims/match", json={"text": "Chicago crime rose 20 percent"}).json["matches"]
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert matches[0]["claim"]["text"] == CASES["stored"]["chicago"]


def test_different_figures_make_a_different_claim():
    same = similarity("Unemployment fell to 5.1 percent in 2023.", "In 2023 unemployment fell to 5.1%.")
    other = similarity("Unemployment fell to 5.1 percent in 2023.", "Unemployment fell to 6.4 percent in 2023.")
    assert same > 0.5 > other


def test_creating_a_claim_reports_its_likely_duplicates(client, api):
    source = api.source(text="The measles vaccine causes autism in children. Autism in kids comes from the measles vaccine.")
    first = api.claim(source=source, sentence_index=0, quote=None, text="The measles vaccine causes autism in children.")
    assert first["likely_duplicates"] == []
    second = api.claim(source=source, sentence_index=1, quote=None, text="Autism in kids is caused by the measles vaccine.")
    [duplicate] = second["likely_duplicates"]
    assert duplicate["id"] == first["id"] and duplicate["score"] >= 0.5
    unrelated = api.claim(source=source, sentence_index=0, quote="measles", text="Bridges in Ohio are crumbling.")
    assert unrelated["likely_duplicates"] == []


def test_match_needs_some_text(client):
    response = client.post("/claims/match", json={"text": ""})
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "text"
    assert client.post("/claims/match", json={"text": "?!"}).json == {"matches": []}


def crime_claims(api):
    """Five claims that say "crime rose 20 percent in" of five cities, and one more about crime, all
    quoting a sentence that has none of those words (the index holds quoted sentences too)."""
    source = api.source(text="Officials published their yearly figures.")
    cities = {city: api.claim(source=source, sentence_index=0, quote=None,
                              text=f"Crime rose 20 percent in {city}.")["id"]
              for city in ("Chicago", "Denver", "Boston", "Austin", "Tulsa")}
    worry = api.claim(source=source, sentence_index=0, quote=None, text="Crime is a national worry.")["id"]
    return cities, worry


def matched(client, text):
    response = client.post("/claims/match", json={"text": text, "limit": 10})
    assert response.status_code == 200, response.json
    return [m["claim"]["id"] for m in response.json["matches"]]


def test_a_rare_word_finds_its_claim_first_and_claims_holding_every_common_word_follow(client, api, monkeypatch):
    cities, worry = crime_claims(api)
    monkeypatch.setattr(search, "COMMON", 4)  # "crime", "rose", "20", "percent" and "in" are common now
    found = matched(client, "Denver crime rose")
    assert found[0] == cities["Denver"] and sorted(found) == sorted(cities.values())
    assert worry not in found  # it shares "crime" alone, a common word


def test_when_every_word_is_common_the_claims_holding_them_all_are_the_candidates(client, api, monkeypatch):
    cities, worry = crime_claims(api)
    monkeypatch.setattr(search, "COMMON", 4)
    assert sorted(matched(client, "crime rose in")) == sorted(cities.values())
    monkeypatch.setattr(search, "COMMON", 1000)  # below it, any shared word makes a candidate, as before
    assert worry in matched(client, "crime rose in")
