"""Fact-checkers writing the same claim at once, through several gunicorn workers: exactly one write
wins each round, the others get 412, and nothing accepted is missing from the history."""
from concurrent.futures import ThreadPoolExecutor

from tests.live_server import live_server

WRITERS, ATTEMPTS = 6, 8


def test_racing_writers_never_overwrite_each_other_silently(empty_database_url):
    with live_server(empty_database_url, workers=3) as server:
        editor = server.key("editor", owner="racer")
        source = server.request("POST", "/sources", {"title": "t", "text": "Crime fell by 10 percent."}, editor)[2]
        claim = server.request("POST", "/claims", {
            "text": "Crime fell by 10 percent.",
            "appearance": {"source_id": source["id"], "sentence_index": 0},
        }, editor)[2]
        path = f"/claims/{claim['id']}"

        def writer(number):
            outcomes = []
            for attempt in range(ATTEMPTS):
                status, headers, _ = server.request("GET", path)
                etag = headers["ETag"]
                text = f"writer {number} attempt {attempt}"
                status, _, body = server.request("PATCH", path, {"text": text}, {**editor, "If-Match": etag})
                outcomes.append((status, text, etag, body.get("version") if status == 200 else None))
            return outcomes

        with ThreadPoolExecutor(WRITERS) as pool:
            outcomes = [o for result in pool.map(writer, range(WRITERS)) for o in result]

        history = server.request("GET", f"{path}/history?limit=100")[2]["items"]
        final = server.request("GET", path)[2]
        chain = server.request("GET", "/audit/verify")[2]

    accepted = [o for o in outcomes if o[0] == 200]
    refused = [o for o in outcomes if o[0] != 200]
    assert {o[0] for o in refused} <= {412}, "a refused write must be a 412, nothing else"
    assert accepted and refused, "the race should have produced both winners and losers"
    # One winner per version: no two writers both succeeded from the same ETag.
    won_from = [o[2] for o in accepted]
    assert len(won_from) == len(set(won_from))
    updates = [e for e in history if e["action"] == "update"]
    assert sorted(e["after"]["text"] for e in updates) == sorted(o[1] for o in accepted)
    assert [e["after"]["version"] for e in updates] == list(range(2, len(accepted) + 2))
    assert all(e["before"]["version"] + 1 == e["after"]["version"] for e in updates)
    assert final["version"] == len(accepted) + 1 and final["text"] == updates[-1]["after"]["text"]
    assert chain["valid"] is True
