"""Full-text search on GET /claims?q=: claim text and quoted sentences, ranked, highlighted, paged."""


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


def test_better_matches_rank_first(client, api):
    source = api.source(text="Inflation hit 9 percent. Inflation and unemployment both rose, inflation most.")
    weak = api.claim(source=source, sentence_index=0, quote="Inflation hit 9 percent", text="Prices rose by 9 percent.")
    strong = api.claim(source=source, sentence_index=1, quote="Inflation and unemployment",
                       text="Inflation rose faster than inflation forecasts.")
    assert [h["id"] for h in search(client, {"q": "inflation"})["items"]] == [strong["id"], weak["id"]]


def test_search_combines_with_filters(client, api):
    source = api.source(text="Wages grew strongly. Wages fell sharply.")
    alice, bob = api.speaker(name="Alice"), api.speaker(name="Bob")
    mine = api.claim(source=source, speaker=alice, sentence_index=0, quote="Wages grew", text="Wages grew.")
    api.claim(source=source, speaker=bob, sentence_index=1, quote="Wages fell", text="Wages fell.")
    hits = search(client, {"q": "wages", "speaker_id": alice["id"]})["items"]
    assert [h["id"] for h in hits] == [mine["id"]]


def test_paging_through_ranked_results_visits_each_hit_once(client, api):
    source = api.source(text="Rainfall records were broken across the region this year.")
    made = {api.claim(source=source, sentence_index=0, quote="Rainfall records",
                      text=f"Rainfall claim number {n}.")["id"] for n in range(7)}
    seen, cursor = [], None
    for _ in range(50):  # bounded: a cursor that stops advancing fails instead of hanging
        query = {"q": "rainfall", "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = search(client, query)
        seen += [h["id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    else:
        raise AssertionError("paging never reached the last page")
    assert len(seen) == 7 and set(seen) == made


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
    for query in ({"q": "!!!"}, {"q": "exports", "cursor": "MTI"}):
        response = client.get("/claims", query_string=query)
        assert response.status_code == 422
        assert response.json["errors"][0]["location"] == "query"


def test_plain_listing_has_no_snippet(client, api):
    api.claim()
    assert "snippet" not in client.get("/claims").json["items"][0]
