"""Full-text search on GET /claims?q=: claim text and quoted sentences, ranked, highlighted, paged."""
from service.store import search as search_rules
from service.store.paging import encode_cursor



def search(client, query):
    response = client.get("/claims", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_search_finds_claims_by_their_words_with_stemming(client, api):
    source = api.source(text="Officials said the tariffs doubled. Farmers protested in Paris.")
    tariffs = api.claim(source=source, sentence_index=0, quote="the tariffs doubled", text="Tariffs doubled in 2024.")
    api.claim(source=source, sentence_index=1, quote="Farmers protested", text="Farmers protested in Paris.")
    hits = search(client, {"q": "tariff doubling"})["items"]
    assert [h["id"] for h in hits] == [tariffs["id"]]
    assert "<mark>" in hits[0]["snippet"]


def test_search_covers_the_quoted_sentence_not_only_the_claim_text(client, api):
    source = api.source(text="At the summit in Reykjavik, the minister promised new funding.")
    claim = api.claim(source=source, sentence_index=0, quote="promised new funding", text="Funding was promised.")
    hits = search(client, {"q": "reykjavik"})["items"]
    assert [h["id"] for h in hits] == [claim["id"]]
    assert "<mark>Reykjavik</mark>" in hits[0]["snippet"]


def ranking_fixture(api):
    """Claims matching "waiting times" at each rank, made oldest to newest: (phrase, apart, quote_only)."""
    source = api.source(text="Waiting times grew at the clinic. Staff said the times of waiting grew. Times are hard.")
    made = {"phrase": [], "apart": [], "quote_only": []}
    for n in range(2):
        made["phrase"].append(api.claim(source=source, sentence_index=0, quote="Waiting times grew",
                                        text=f"Waiting times grew in ward {n}."))
        made["apart"].append(api.claim(source=source, sentence_index=1, quote="the times of waiting grew",
                                       text=f"The times spent waiting grew in ward {n}."))
        made["quote_only"].append(api.claim(source=source, sentence_index=0, quote="Waiting times grew",
                                            text=f"The clinic was slower in ward {n}."))
    return {rank: [claim["id"] for claim in claims] for rank, claims in made.items()}


def test_a_phrase_in_the_claims_own_words_ranks_first_then_its_words_apart_then_quote_only(client, api):
    made = ranking_fixture(api)
    found = [h["id"] for h in search(client, {"q": "waiting times"})["items"]]
    newest_first = [*reversed(made["phrase"]), *reversed(made["apart"]), *reversed(made["quote_only"])]
    assert found == newest_first


def test_the_order_does_not_shift_when_other_claims_make_a_word_common(client, api):
    source = api.source(text="Patients reported long delays.")
    many_waits = api.claim(source=source, sentence_index=0, quote="long delays",
                           text="Waiting, waiting and more waiting, at times.")
    many_times = api.claim(source=source, sentence_index=0, quote="long delays",
                           text="Times and times again, some waiting.")
    orders = [[h["id"] for h in search(client, {"q": "waiting times"})["items"]]]
    # bm25 would weigh "times" less once it is common, then "waiting": the two claims would swap places.
    for word, count in (("Times", 5), ("Waiting", 10)):
        for n in range(count):
            api.claim(text=f"{word} change {n}.")
        orders.append([h["id"] for h in search(client, {"q": "waiting times"})["items"]])
    assert orders == [[many_times["id"], many_waits["id"]]] * 3


def test_search_combines_with_filters(client, api):
    source = api.source(text="Wages grew strongly. Wages fell sharply.")
    alice, bob = api.speaker(name="Alice"), api.speaker(name="Bob")
    mine = api.claim(source=source, speaker=alice, sentence_index=0, quote="Wages grew", text="Wages grew.")
    api.claim(source=source, speaker=bob, sentence_index=1, quote="Wages fell", text="Wages fell.")
    hits = search(client, {"q": "wages", "speaker_id": alice["id"]})["items"]
    assert [h["id"] for h in hits] == [mine["id"]]


def test_paging_through_ranked_results_visits_each_hit_once_in_rank_order(client, api):
    made = ranking_fixture(api)
    seen, cursor = [], None
    for _ in range(50):  # bounded: a cursor that stops advancing fails instead of hanging
        query = {"q": "waiting times", "limit": 4, **({"cursor": cursor} if cursor else {})}
        page = search(client, query)
        seen += [h["id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    else:
        raise AssertionError("paging never reached the last page")
    assert seen == [*reversed(made["phrase"]), *reversed(made["apart"]), *reversed(made["quote_only"])]


def test_matches_older_than_the_ranked_ones_follow_newest_first_and_every_one_is_reached(client, api, monkeypatch):
    made = ranking_fixture(api)  # six matches, oldest first: phrase 0, apart 0, quote 0, phrase 1, ...
    monkeypatch.setattr(search_rules, "CANDIDATES", 3)  # so the newest three are ranked, the rest follow
    oldest_first = [claim for trio in zip(made["phrase"], made["apart"], made["quote_only"]) for claim in trio]
    ranked = [made["phrase"][1], made["apart"][1], made["quote_only"][1]]
    older = list(reversed(oldest_first[:3]))
    for limit in (2, 3, 10):  # pages that end inside the ranked ones, at their end, and past it
        seen, cursor = [], None
        for _ in range(20):
            page = search(client, {"q": "waiting times", "limit": limit, **({"cursor": cursor} if cursor else {})})
            seen += [h["id"] for h in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == ranked + older, limit


def test_snippets_escape_html_in_the_stored_text(client, api):
    source = api.source(text="He wrote <script>alert(1)</script> about vaccines.")
    api.claim(source=source, sentence_index=0, quote="about vaccines", text="He wrote <script>alert(1)</script> about vaccines.")
    snippet = search(client, {"q": "vaccines"})["items"][0]["snippet"]
    assert "<mark>vaccines</mark>" in snippet
    # Safe to drop into a page: the only tags are the marks (the text's own are escaped or left out).
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_a_search_follows_edits(client, api):
    claim = api.claim(text="Bridges collapsed.")
    client.patch(f"/claims/{claim['id']}", json={"text": "Tunnels flooded."}, headers={"If-Match": '"v1"'})
    assert search(client, {"q": "bridges"})["items"] == []
    assert [h["id"] for h in search(client, {"q": "tunnels"})["items"]] == [claim["id"]]


def test_a_search_without_words_or_with_a_foreign_cursor_is_422(client, api):
    api.claim()
    # "MTI" holds a bare id; the others hold a rank and id that no search gives out (a fractional
    # rank, and one too large for the database's integers)
    for query in ({"q": "!!!"}, {"q": "exports", "cursor": "MTI"},
                  {"q": "exports", "cursor": encode_cursor([0.5, 3])},
                  {"q": "exports", "cursor": encode_cursor([10**30, 3])}):
        response = client.get("/claims", query_string=query)
        assert response.status_code == 422
        assert response.json["errors"][0]["location"] == "query"


def test_plain_listing_has_no_snippet(client, api):
    api.claim()
    assert "snippet" not in client.get("/claims").json["items"][0]


def test_the_optimize_command_merges_the_index_and_searches_find_the_same(app, client, api):
    ranking_fixture(api)  # a commit, and so a segment, per claim
    before = search(client, {"q": "waiting times"})["items"]
    merged = app.test_cli_runner().invoke(args=["search", "optimize"])
    assert merged.exit_code == 0, merged.output
    assert "merged into 1 in" in merged.output
    assert search(client, {"q": "waiting times"})["items"] == before
