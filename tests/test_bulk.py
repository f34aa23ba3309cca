"""Bulk export and import as NDJSON: exact round trips, idempotence, line-by-line rejection, batches."""
import io
import json
import uuid

import pytest

from service.actions import importing
from service.store import search
from service.store.audit import Context
from schemas.bulk import dumped, loaded
from service.rules.lines import ndjson_records
from service.store.lines import export_lines
from service.store.db import database, is_postgres
from service.actions.importing import import_records
from service.store.audit import verify_chain

NDJSON = "application/x-ndjson"


def export(client):
    response = client.get("/export")
    assert response.status_code == 200 and response.content_type == NDJSON
    assert response.is_streamed
    return response.get_data()


def import_body(client, body, **headers):
    return client.post("/import", data=body, content_type=NDJSON, headers=headers)


def chain_holds():
    """The audit chain of the database the last app opened (a new server's), verified whole."""
    with database.connection_context():
        return verify_chain()["valid"]


def everything_a_reader_sees(client, claim_ids):
    seen = {}
    for claim_id in claim_ids:
        claim = client.get(f"/claims/{claim_id}").json
        seen[claim_id] = {
            "claim": claim,
            "reviews": client.get(f"/claims/{claim_id}/reviews?limit=100").json,
            "provenance": client.get(f"/claims/{claim_id}/provenance").json,
            "speaker": client.get(f"/speakers/{claim['speaker_id']}").json if claim["speaker_id"] else None,
        }
        for appearance in claim["appearances"]:
            source = f"/sources/{appearance['source_id']}"
            seen[source] = (client.get(source).json, client.get(f"{source}/sentences?limit=100").json)
    return seen


def test_export_then_import_into_an_empty_database_gives_back_the_same_data(client, new_server, varied):
    exported = export(client)
    before = everything_a_reader_sees(client, varied)
    assert len(exported.splitlines()) == 3
    _, client = new_server()
    report = import_body(client, exported)
    assert report.status_code == 200, report.json
    assert report.json == {"lines": 3, "created": 3, "updated": 0, "unchanged": 0, "rejected": 0,
                           "rejected_lines": []}
    assert everything_a_reader_sees(client, varied) == before
    assert export(client) == exported
    assert chain_holds()


def test_importing_the_same_lines_again_changes_nothing(client, varied):
    exported = export(client)
    events = len(client.get("/audit?limit=100").json["items"])
    again = import_body(client, exported).json
    assert (again["created"], again["updated"], again["unchanged"], again["rejected"]) == (0, 0, 3, 0)
    assert len(client.get("/audit?limit=100").json["items"]) == events
    assert export(client) == exported


def test_each_bad_line_is_rejected_with_its_number_and_reason_and_the_good_ones_are_kept(client, new_server, varied):
    good, retracted, bare = [json.loads(line) for line in export(client).splitlines()]
    _, client = new_server()
    wrong_quote = {**bare, "appearances": [{**bare["appearances"][0], "position_selector": {
        "type": "TextPositionSelector", "start": 0, "end": 5}}]}
    wrong_status = {**bare, "status": "true"}
    body = "\n".join([json.dumps(good), "{not json", json.dumps({**bare, "text": ""}), "",
                      json.dumps(wrong_quote), json.dumps(wrong_status), json.dumps(retracted)]) + "\n"
    report = import_body(client, body.encode()).json
    assert (report["lines"], report["created"], report["rejected"]) == (6, 2, 4)
    reasons = {row["line"]: row["reason"] for row in report["rejected_lines"]}
    assert list(reasons) == [2, 3, 5, 6]
    assert reasons[2].startswith("not a JSON document")
    assert reasons[3] == "text: Length must be between 1 and 2000."
    assert "selectors do not match" in reasons[5]
    assert "does not follow from the reviews" in reasons[6]
    assert [c["id"] for c in client.get("/claims").json["items"]] == [good["id"], retracted["id"]]
    assert chain_holds()


def test_a_newer_version_of_a_claim_updates_it_and_an_older_or_diverged_one_is_refused(client, varied):
    line = json.loads(export(client).splitlines()[2])
    newer = {**line, "text": "Critics disputed the figure.", "version": 2, "updated_at": "2030-01-01T00:00:00+00:00"}
    updated = import_body(client, json.dumps(newer)).json
    assert (updated["updated"], updated["rejected"]) == (1, 0)
    stored = client.get(f"/claims/{line['id']}")
    assert stored.json["text"] == "Critics disputed the figure." and stored.headers["ETag"] == '"v2"'
    assert client.get(f"/claims/{line['id']}/history").json["items"][-1]["action"] == "import"
    stale = import_body(client, json.dumps({**line, "text": "Something else."})).json
    assert stale["rejected"] == 1 and "is not newer" in stale["rejected_lines"][0]["reason"]
    unversioned = {k: v for k, v in line.items() if k != "version"}
    refused = import_body(client, json.dumps({**unversioned, "text": "Something else."})).json
    assert "give a version" in refused["rejected_lines"][0]["reason"]
    assert client.get(f"/claims/{line['id']}").json["text"] == "Critics disputed the figure."


def test_claims_an_import_creates_or_updates_are_found_by_search(client, new_server, varied):
    lines = export(client).splitlines()
    _, client = new_server()
    assert import_body(client, b"\n".join(lines)).json["created"] == 3
    line = json.loads(lines[2])
    assert [c["id"] for c in client.get("/claims?q=critics disputed").json["items"]] == [line["id"]]
    assert client.get("/claims?q=tally").json["items"] == []
    assert import_body(client, json.dumps({**line, "text": "Critics disputed the tally.", "version": 2})).json[
        "updated"] == 1
    assert [c["id"] for c in client.get("/claims?q=tally").json["items"]] == [line["id"]]


def test_a_large_import_leaves_the_search_index_in_one_piece(client, new_server, varied, monkeypatch):
    lines = export(client).splitlines()
    target, client = new_server()
    monkeypatch.setattr(importing, "OPTIMIZE_AFTER", 2)

    def segments():
        with target.app_context(), database.connection_context():
            return search.segments(), is_postgres()

    for line in lines[:2]:  # below the threshold: each import's commit adds a segment of its own
        assert import_body(client, line).json["created"] == 1
    count, on_postgres = segments()
    assert count == (1 if on_postgres else 2)
    newer = {**json.loads(lines[2]), "text": "Critics disputed the tally.", "version": 2,
             "updated_at": "2030-01-01T00:00:00+00:00"}
    done = import_body(client, b"\n".join([lines[2], json.dumps(newer).encode()])).json
    assert (done["created"], done["updated"]) == (1, 1)  # at the threshold: merged afterwards
    assert segments()[0] == 1
    assert [c["id"] for c in client.get("/claims?q=disputed tally").json["items"]] == [newer["id"]]


def test_a_newer_version_may_add_reviews_but_never_drop_them(client, varied):
    line = json.loads(export(client).splitlines()[2])
    opened = {"id": "11111111-1111-4111-8111-111111111111", "status": "in_review", "reviewer": "Other desk"}
    reviewed = import_body(client, json.dumps({**line, "version": 2, "status": "in_review",
                                               "reviews": [opened]})).json
    assert reviewed["updated"] == 1
    assert client.get(f"/claims/{line['id']}/reviews").json["items"][0]["reviewer"] == "Other desk"
    dropped = import_body(client, json.dumps({**line, "version": 3, "status": "unverified"})).json
    assert "never change" in dropped["rejected_lines"][0]["reason"]


def test_an_external_id_names_one_claim(client, varied):
    line = json.loads(export(client).splitlines()[2])
    twin = {**line, "id": "22222222-2222-4222-8222-222222222222"}
    twin["appearances"] = [{**line["appearances"][0], "id": "33333333-3333-4333-8333-333333333333"}]
    report = import_body(client, json.dumps(twin)).json
    assert report["rejected_lines"][0]["reason"] == f"external id {line['external_id']} is already claim {line['id']}"


def test_a_line_naming_a_merged_speaker_is_refused(client, api, varied):
    line = json.loads(export(client).splitlines()[0])
    kept = api.speaker(name="Jane Q. Doe")
    merged = client.post(f"/speakers/{line['speaker']['id']}/merge", json={"into": kept["id"]},
                         headers={"If-Match": '"v1"'})
    assert merged.status_code == 200, merged.json
    report = import_body(client, json.dumps(line)).json
    assert report["rejected_lines"][0]["reason"] == (f"speaker {line['speaker']['id']} was merged into "
                                                     f"{kept['id']}: use that one")


def test_lines_are_written_in_batches_and_a_claim_twice_in_one_batch_is_taken_in_order(client, new_server, varied):
    lines = export(client).splitlines()
    app, client = new_server()
    newer = json.loads(lines[2]) | {"text": "Critics disputed it strongly.", "version": 2}
    body = b"\n".join([*lines, json.dumps(newer).encode()])
    heard = []
    with app.app_context():
        report = import_records(Context(actor="test"), loaded(ndjson_records(io.BytesIO(body))), batch_lines=2,
                                progress=heard.append)
    assert (report.created, report.updated, report.rejected) == (3, 1, 0)
    assert sum(heard) == len(body) and len(heard) == 3
    assert client.get(f"/claims/{newer['id']}").json["text"] == "Critics disputed it strongly."
    assert chain_holds()


def test_export_reads_every_claim_in_keyset_pages(app, client, api):
    source = api.source()
    made = [api.claim(source=source, text=f"Claim {n}.")["id"] for n in range(5)]
    with app.app_context():
        exported = [json.loads(line)["id"] for line in dumped(export_lines(page_size=2))]
    assert exported == made


def test_a_line_over_the_length_limit_is_rejected_alone():
    records = list(ndjson_records(io.BytesIO(b'{"a": 1}\n' + b"x" * 50 + b"\n\n[1]\n"), max_line_bytes=20))
    assert [(r.number, r.data, r.error is not None) for r in records] == [(1, {"a": 1}, False), (2, None, True),
                                                                         (4, [1], False)]
    assert "longer than 20 bytes" in records[1].error


def test_import_needs_an_editor_and_an_ndjson_body(client, anonymous, key_for):
    assert anonymous.post("/import", data=b"", content_type=NDJSON).status_code == 401
    assert import_body(anonymous, b"", **key_for("checker")).status_code == 403
    refused = client.post("/import", json={"text": "x"})
    assert refused.status_code == 415 and NDJSON in refused.json["detail"]
    assert client.post("/speakers", data=b'{"name": "x"}', content_type=NDJSON).status_code == 415


def test_import_has_its_own_size_limit(app, client, varied):
    exported = export(client)
    app.config["MAX_CONTENT_LENGTH"] = 100
    app.extensions["claimtrail"].max_import_bytes = len(exported)
    assert import_body(client, exported).status_code == 200
    assert client.post("/speakers", json={"name": "x" * 200}).status_code == 413
    over = import_body(client, exported + b"\n")
    assert over.status_code == 413
    assert over.json["type"] == "urn:claimtrail:problem:request-entity-too-large"


def test_the_command_line_exports_and_imports_with_a_summary(app, varied, tmp_path):
    path = tmp_path / "claims.ndjson"
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["export", "--out", str(path)])
    assert exported.exit_code == 0, exported.output
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3
    again = runner.invoke(args=["import", str(path)])
    assert again.exit_code == 0, again.output
    assert "3 lines: 0 created, 0 updated, 3 unchanged, 0 rejected" in again.output
    path.write_text("{}\n", encoding="utf-8")
    bad = runner.invoke(args=["import", str(path)])
    assert bad.exit_code == 1 and "line 1: " in bad.output


SPAN_REASON = "source {source}: sentence {index} [{start}, {end}] is not an ordered, trimmed span of the text"


@pytest.mark.parametrize("spans, index", [
    ([[0, 27], [83, 130], [29, 82], [131, 159]], 2),  # out of order
    ([[0, 27], [29, 90], [83, 130], [131, 159]], 2),  # overlapping
    ([[0, 27], [29, 82], [83, 130], [131, 500]], 3),  # past the end of the text
    ([[0, 27], [28, 82], [83, 130], [131, 159]], 1),  # starts on whitespace
    ([[0, 27], [29, 29], [83, 130], [131, 159]], 1),  # empty
    ([[-1, 27], [29, 82], [83, 130], [131, 159]], 0),  # before the start
])
def test_sentence_offsets_that_do_not_fit_the_text_reject_the_line(client, new_server, varied, spans, index):
    """Imported sources are not split into sentences again: the offsets they carry must be ones the
    splitter could have given, and a source quoted again on a later line is held to the same."""
    bare = json.loads(export(client).splitlines()[2])
    source = bare["sources"][0]
    assert source["sentences"] == [[0, 27], [29, 82], [83, 130], [131, 159]]
    _, client = new_server()
    again = {**bare, "id": "44444444-4444-4444-8444-444444444444", "external_id": "again",
             "appearances": [{**bare["appearances"][0], "id": "55555555-5555-4555-8555-555555555555"}],
             "sources": [{**source, "sentences": spans}]}
    fresh = {**again, "id": "66666666-6666-4666-8666-666666666666", "external_id": "fresh",
             "appearances": [{**bare["appearances"][0], "id": "77777777-7777-4777-8777-777777777777",
                              "source_id": "88888888-8888-4888-8888-888888888888"}],
             "sources": [{**source, "id": "88888888-8888-4888-8888-888888888888", "sentences": spans}]}
    report = import_body(client, "\n".join(json.dumps(line) for line in (bare, again, fresh)).encode()).json
    assert (report["created"], report["rejected"]) == (1, 2)
    start, end = spans[index]
    assert report["rejected_lines"] == [
        {"line": 2, "reason": SPAN_REASON.format(source=source["id"], index=index, start=start, end=end)},
        {"line": 3, "reason": SPAN_REASON.format(source=fresh["sources"][0]["id"], index=index, start=start, end=end)},
    ]


def test_a_source_whose_sha256_is_not_its_texts_rejects_the_line(client, new_server, varied):
    bare = json.loads(export(client).splitlines()[2])
    _, client = new_server()
    wrong = {**bare, "sources": [{**bare["sources"][0], "sha256": "0" * 64}]}
    report = import_body(client, "\n".join(json.dumps(line) for line in (bare, wrong)).encode()).json
    assert (report["created"], report["unchanged"], report["rejected"]) == (1, 0, 1)
    assert report["rejected_lines"][0]["reason"] == (f"source {bare['sources'][0]['id']}: "
                                                     "sha256 is not the SHA-256 of its text")


class CountingInput:
    """A WSGI input that counts how often the server's socket would be read."""

    def __init__(self, data):
        self.data, self.reads = io.BytesIO(data), 0

    def read(self, size=-1):
        self.reads += 1
        return self.data.read(size)

    def readline(self, size=-1):
        self.reads += 1
        return self.data.readline(size)

    def tell(self):
        return self.data.tell()

    def seek(self, offset, whence=0):
        return self.data.seek(offset, whence)


def test_an_import_body_is_read_in_blocks_not_byte_by_byte(client, varied):
    exported = export(client) * 200  # the same lines again: unchanged, so the reading is what this measures
    body = CountingInput(exported)
    response = client.post("/import", input_stream=body, content_length=len(exported), content_type=NDJSON)
    assert response.status_code == 200 and response.json["unchanged"] == 600
    assert body.reads < len(exported) // 1000


def _with(line, path, value):
    """A copy of the line with the value at `path` (keys and list indexes) replaced."""
    line = json.loads(json.dumps(line))
    *parents, last = path
    target = line
    for step in parents:
        target = target[step]
    target[last] = value
    return line


@pytest.mark.parametrize("path, value, field", [
    (("text",), "Exports \ud800 rose.", "text"),
    (("tags",), ["\udc00"], "tags.0"),
    (("speaker", "name"), "Jane \ud83d", "speaker.name"),
    (("sources", 0, "title"), "\ud800", "sources.0.title"),
    (("reviews", 0, "reviewer"), "\ud800", "reviews.0.reviewer"),
    (("version",), 10**20, "version"),
    (("version",), 2**31, "version"),
    (("speaker", "version"), 2**63, "speaker.version"),
    (("created_at",), "0001-01-01T00:00:00+01:00", "created_at"),
    (("speaker", "updated_at"), "9999-12-31T23:59:59-01:00", "speaker.updated_at"),
    (("appearances", 0, "position_selector", "end"), 2**63, "appearances.0.position_selector.end"),
    (("sources", 0, "sentences", 0, 1), 2**40, "sources.0.sentences.0.1"),
])
def test_a_line_no_database_could_store_is_rejected_with_its_field_and_the_rest_are_imported(
        client, new_server, varied, path, value, field):
    good, retracted, bare = [json.loads(line) for line in export(client).splitlines()]
    target, client = new_server()
    bad = _with(good, path, value)
    body = "\n".join(json.dumps(line) for line in (retracted, bad, bare)) + "\n"
    report = client.post("/import", data=body.encode(), content_type=NDJSON)
    assert report.status_code == 200, report.get_data(as_text=True)[:500]
    assert (report.json["created"], report.json["rejected"]) == (2, 1)
    [rejected] = report.json["rejected_lines"]
    assert rejected["line"] == 2 and rejected["reason"].startswith(field + ":"), rejected
    assert client.get(f"/claims/{bare['id']}").status_code == 200
    assert client.get(f"/claims/{good['id']}").status_code == 404
    with target.app_context(), database.connection_context():
        assert verify_chain()["valid"]


class RevokedWhileReading(io.RawIOBase):
    """An import body that an admin's revocation of the importing key overtakes part way through."""

    def __init__(self, body, after_bytes, revoke):
        self.body, self.after_bytes, self.revoke = io.BytesIO(body), after_bytes, revoke

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.body.tell()

    def seek(self, offset, whence=io.SEEK_SET):
        return self.body.seek(offset, whence)

    def readinto(self, buffer):
        if self.revoke and self.body.tell() >= self.after_bytes:
            self.revoke(), setattr(self, "revoke", None)
        return self.body.readinto(buffer)


def test_a_key_revoked_during_an_import_stops_it_before_the_next_batch(app, api, key_for, client):
    api.claim()
    exported = json.loads(export(client))
    lines = []
    for n in range(importing.BATCH_LINES * 3):
        line = json.loads(json.dumps(exported))
        line["id"] = line["external_id"] = str(uuid.uuid4())
        for appearance in line["appearances"]:
            appearance["id"] = str(uuid.uuid4())
        lines.append(json.dumps(line))
    body = ("\n".join(lines) + "\n").encode()
    importer, admin = app.test_client(), app.test_client()
    importer.environ_base["HTTP_AUTHORIZATION"] = key_for("editor", owner="Importer")["Authorization"]
    admin.environ_base["HTTP_AUTHORIZATION"] = key_for("admin")["Authorization"]
    key_id = next(k["id"] for k in admin.get("/keys?limit=100").json["items"] if k["owner"] == "Importer")

    def revoke():
        assert admin.post(f"/keys/{key_id}/revocation", json={"reason": "left"}).status_code == 200

    stream = RevokedWhileReading(body, len(body) // 2, revoke)
    response = importer.post("/import", input_stream=stream, content_type=NDJSON,
                             headers={"Content-Length": str(len(body))})
    assert response.status_code == 401, response.json
    committed = client.get("/claims?limit=1").json  # what was written before the revocation stays
    assert committed["items"]
    assert f"stopped before line {importing.BATCH_LINES + 1}" in response.json["detail"]
    assert f"{importing.BATCH_LINES} created" in response.json["detail"]
    assert response.headers["WWW-Authenticate"]
