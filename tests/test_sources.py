import hashlib

from tests.samples import ARTICLE


def test_storing_a_source_keeps_its_text_byte_for_byte_with_its_hash(client, api):
    text = "  Tabs\tand\r\nCRLF stay.  Unicode — “quotes” too.\n"
    made = api.source(text=text)
    fetched = client.get(f"/sources/{made['id']}").json
    assert fetched["text"] == text
    assert fetched["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert fetched["published_date"] == "2024-03-18"


def test_sentences_slice_the_source_text_exactly(client, api):
    made = api.source()
    sentences = client.get(f"/sources/{made['id']}/sentences").json["items"]
    assert [s["text"] for s in sentences] == [
        "Heading Without Punctuation",
        "The U.S. envoy met officials in Washington on Monday.",
        "Officials said exports rose 12 percent in 2023.",
        "Critics disputed the figure.",
    ]
    assert [s["index"] for s in sentences] == [0, 1, 2, 3]
    for sentence in sentences:
        assert ARTICLE[sentence["start"]:sentence["end"]] == sentence["text"]
    assert made["sentence_count"] == 4


def test_source_list_leaves_out_the_text_and_pages(client, api):
    for n in range(3):
        api.source(text=f"Article number {n}.", title=f"T{n}")
    first = client.get("/sources?limit=2")
    assert first.status_code == 200
    assert [s["title"] for s in first.json["items"]] == ["T0", "T1"]
    assert "text" not in first.json["items"][0]
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(f"/sources?limit=2&cursor={first.json['next_cursor']}").json
    assert [s["title"] for s in second["items"]] == ["T2"]
    assert second["next_cursor"] is None


def test_source_list_filters_by_publisher(client, api):
    api.source(text="One.", publisher="Daily A")
    api.source(text="Two.", publisher="Daily B")
    items = client.get("/sources?publisher=Daily B").json["items"]
    assert [s["publisher"] for s in items] == ["Daily B"]


def test_unknown_source_is_a_404_problem(client):
    response = client.get("/sources/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 404
    assert client.get("/sources/00000000-0000-4000-8000-000000000000/sentences").status_code == 404


def test_source_needs_a_title_and_some_text(client):
    response = client.post("/sources", json={"text": ""})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert fields == {"title", "text"}


def test_source_language_must_be_one_the_splitter_knows(client):
    response = client.post("/sources", json={"title": "x", "text": "Hello.", "language": "xx"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "language"
