"""The benchmarks' synthetic database must be data the service itself could have written, stored
documents included."""
from benchmarks.generate import generate
from service.app import create_app
from service.store.audit import verify_chain
from service.config import Config
from service.store.db import database
from service.rules import documents
from service.store.claims import computed_states
from service.store.models import Appearance, Claim, Source


def test_generated_database_is_valid(tmp_path):
    path = generate(300, tmp_path / "bench.db", progress=lambda line: None)
    app = create_app(Config(database_url=f"sqlite:///{path}"))
    with app.app_context():
        database.connect()
        assert verify_chain()["valid"]
        claims = Claim.select().count()
        assert claims == 300
        for appearance in Appearance.select(Appearance, Source).join(Source):
            assert appearance.source.text[appearance.start:appearance.end] == appearance.exact
        (indexed,) = database.execute_sql("SELECT count(*) FROM claim_fts").fetchone()
        assert indexed == claims
        # the generator's fast path writes documents the way the service's write path does
        rows = list(Claim.select().order_by(Claim.id))
        assert [documents.claim_state(row.document) for row in rows] == computed_states(rows)
        reviewed = Claim.select().where(Claim.status != "unverified").first()
        database.close()
    client = app.test_client()
    shown = client.get(f"/claims/{reviewed.uid}")
    assert shown.status_code == 200 and shown.json["version"] > 1
    history = client.get(f"/claims/{reviewed.uid}/history").json["items"]
    assert [e["action"] for e in history][0] == "create" and len(history) == 2 * shown.json["version"] - 1  # a create, then a review and a status change per review
    assert client.get(f"/claims/{reviewed.uid}/provenance").json["verified"]
    assert client.get("/claims", query_string={"q": shown.json["text"]}).json["items"]
