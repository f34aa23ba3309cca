"""The LIAR dataset's TSV rows become claims with verdicts, speakers, tags and an anchored source."""
import pytest

ROWS = [
    ["2635.json", "barely-true", "Says the Annies List political group supports abortions on demand.", "abortion",
     "dwayne-bohac", "State representative", "Texas", "republican", "0", "1", "0", "0", "0", "a mailer"],
    ["10540.json", "half-true", "When did the decline of coal start? It started when natural gas took off.",
     "energy,history,job-accomplishments", "scott-surovell", "State delegate", "Virginia", "democrat",
     "0", "0", "1", "1", "0", "a floor speech."],
    ["1123.json", "pants-fire", "Wisconsin is on pace to double the number of layoffs.", "jobs",
     "dwayne-bohac", "State representative", "Texas", "republican", "0", "1", "0", "0", "0", ""],
    ["7.json", "false", "Says a group wants to ban cars.", "transportation", "one-wisconsin-now", "", "",
     "organization", "0", "0", "0", "0", "0", "a web ad"],
]


def write_tsv(path, rows):
    path.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def imported(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["import-liar", str(write_tsv(tmp_path / "train.tsv", ROWS))])
    assert result.exit_code == 0, result.output
    return result


def claims_by_external_id(client):
    return {c["external_id"]: c for c in client.get("/claims?limit=100").json["items"]}


def test_each_statement_becomes_a_claim_with_its_verdict_tags_and_speaker(client, imported):
    assert "4 lines: 4 created, 0 updated, 0 unchanged, 0 rejected" in imported.output
    claims = claims_by_external_id(client)
    mailer = claims["liar:2635"]
    assert mailer["text"] == "Says the Annies List political group supports abortions on demand."
    assert mailer["status"] == "mostly_false"
    assert claims["liar:10540"]["tags"] == ["energy", "history", "job-accomplishments"]
    assert {k: mailer["speaker"][k] for k in ("name", "kind", "role", "affiliation", "region", "external_id")} == {
        "name": "Dwayne Bohac", "kind": "person", "role": "State representative", "affiliation": "republican",
        "region": "Texas", "external_id": "politifact:dwayne-bohac"}
    assert claims["liar:1123"]["speaker_id"] == mailer["speaker_id"]
    group = claims["liar:7"]["speaker"]
    assert (group["name"], group["kind"], group["affiliation"]) == ("One Wisconsin Now", "organization", None)


def test_the_verdict_rests_on_a_politifact_review_naming_the_label_and_context(client, imported):
    claims = claims_by_external_id(client)
    [mailer_review] = client.get(f"/claims/{claims['liar:2635']['id']}/reviews").json["items"]
    assert mailer_review["rationale"] == "PolitiFact rating: barely-true (context: a mailer)"
    assert mailer_review["reviewer"] == "PolitiFact" and mailer_review["verdict"] == "mostly_false"
    [no_context] = client.get(f"/claims/{claims['liar:1123']['id']}/reviews").json["items"]
    assert no_context["rationale"] == "PolitiFact rating: pants-fire"


def test_the_statement_is_a_source_the_claim_quotes_whole(client, imported):
    claim = claims_by_external_id(client)["liar:10540"]
    provenance = client.get(f"/claims/{claim['id']}/provenance").json
    assert provenance["verified"] is True
    [link] = provenance["appearances"]
    assert link["source"]["title"] == "a floor speech." and link["source"]["publisher"] == "PolitiFact"
    assert link["sentence"]["text"] == claim["text"]
    assert client.get(f"/claims/{claim['id']}/claimreview").json["reviewRating"]["alternateName"] == "Half true"


def test_imported_statements_are_found_by_search(client, imported):
    found = client.get("/claims?q=coal").json["items"]
    assert [c["external_id"] for c in found] == ["liar:10540"]


def test_importing_the_file_again_creates_nothing(admin, app, client, imported, tmp_path):
    again = app.test_cli_runner().invoke(args=["import-liar", str(tmp_path / "train.tsv")])
    assert "4 lines: 0 created, 0 updated, 4 unchanged, 0 rejected" in again.output
    assert len(client.get("/claims?limit=100").json["items"]) == 4
    assert len(client.get("/speakers?limit=100").json["items"]) == 3
    assert admin.get("/audit/verify").json["valid"] is True


def test_a_malformed_row_is_rejected_with_its_line_number(app, client, tmp_path):
    rows = [ROWS[0], ROWS[1][:5], [ROWS[2][0], "sort-of-true", *ROWS[2][2:]]]
    result = app.test_cli_runner().invoke(args=["import-liar", str(write_tsv(tmp_path / "bad.tsv", rows))])
    assert result.exit_code == 1
    assert "line 2: expected 14 tab-separated columns, found 5" in result.output
    assert "line 3: unknown label 'sort-of-true'" in result.output
    assert list(claims_by_external_id(client)) == ["liar:2635"]


def test_each_of_the_six_labels_becomes_its_verdict(app, client, tmp_path):
    expected = {"true": "true", "mostly-true": "mostly_true", "half-true": "half_true",
                "barely-true": "mostly_false", "false": "false", "pants-fire": "pants_on_fire"}
    rows = [[f"{n}.json", label, f"Statement {n}.", "", "", "", "", "", "0", "0", "0", "0", "0", ""]
            for n, label in enumerate(expected)]
    app.test_cli_runner().invoke(args=["import-liar", str(write_tsv(tmp_path / "labels.tsv", rows))])
    claims = claims_by_external_id(client)
    assert {label: claims[f"liar:{n}"]["status"] for n, label in enumerate(expected)} == expected
    assert claims["liar:0"]["speaker"] is None
