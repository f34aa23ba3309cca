"""Fact-checkers writing the same claim at once, through several gunicorn workers: exactly one write
wins each round, the others get 412, and nothing accepted is missing from the history."""
from concurrent.futures import ThreadPoolExecutor

from tests.live_server import exported_claims, live_server

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
        chain = server.request("GET", "/audit/verify", headers=server.key("admin"))[2]

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


IMPORTED, CREATORS, CREATES, REVIEWERS, REVIEWS = 300, 3, 10, 3, 6


def test_creates_reviews_and_an_import_racing_across_workers_all_land_or_are_refused_cleanly(
        empty_database_url, tmp_path):
    lines = exported_claims(IMPORTED, tmp_path)
    with live_server(empty_database_url, workers=3, threads=2) as server:
        editor = server.key("editor", owner="racer")
        source = server.request("POST", "/sources", {"title": "t", "text": "Crime fell by 10 percent."}, editor)[2]
        appearance = {"source_id": source["id"], "sentence_index": 0}
        target = server.request("POST", "/claims", {"text": "Crime fell.", "appearance": appearance}, editor)[2]
        path = f"/claims/{target['id']}"

        def create(number):
            return [server.request("POST", "/claims", {"text": f"Claim {number}-{n}", "appearance": appearance},
                                   editor)[0] for n in range(CREATES)]

        def review(number):
            outcomes = []
            for _ in range(REVIEWS):
                etag = server.request("GET", path)[1]["ETag"]
                outcomes.append(server.request("POST", f"{path}/reviews", {"rationale": f"reviewer {number}"},
                                               {**editor, "If-Match": etag})[0])
            return outcomes

        with ThreadPoolExecutor(1 + CREATORS + REVIEWERS) as pool:
            imported = pool.submit(server.completed_import, lines, editor)
            created = [s for result in pool.map(create, range(CREATORS)) for s in result]
            reviewed = [s for result in pool.map(review, range(REVIEWERS)) for s in result]
            report = imported.result()

        total = server.request("GET", "/claims?limit=1")[2]
        history = server.request("GET", f"{path}/history?limit=100")[2]["items"]
        listed = server.request("GET", f"{path}/reviews?limit=100")[2]["items"]
        chain = server.request("GET", "/audit/verify", headers=server.key("admin"))[2]
        every_claim = _count_claims(server)

    assert (report["created"], report["rejected"]) == (IMPORTED, 0)
    assert created == [201] * (CREATORS * CREATES)
    assert set(reviewed) <= {201, 412} and 201 in reviewed
    accepted = reviewed.count(201)
    assert len(listed) == accepted
    assert [e["action"] for e in history].count("review") == accepted
    assert every_claim == IMPORTED + CREATORS * CREATES + 1 and total["items"]
    assert chain["valid"] is True


def _count_claims(server):
    seen, cursor = 0, None
    for _ in range(100):
        page = server.request("GET", "/claims?limit=100" + (f"&cursor={cursor}" if cursor else ""))[2]
        seen += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return seen
    raise AssertionError("paging never reached the last page")
