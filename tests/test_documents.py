"""Each claim's and speaker's stored document is what the rules compute from its rows, whatever wrote it,
and is exactly what the response schema describes."""
import json

from schemas.claims import ClaimSchema
from schemas.speakers import SpeakerSchema
from service.rules import documents, speakers
from service.store import claims
from service.store.audit import Context
from service.store.db import database
from service.store.migrations import refresh_documents
from service.store.models import AuditEvent, Claim, Speaker
from service.actions.seeding import DEFAULT_MANIFEST, load_seeds
from tests.test_bulk import export, import_body


def latest_after(resource_type, uid):
    return (AuditEvent.select(AuditEvent.after).where((AuditEvent.resource_type == resource_type)
                                                      & (AuditEvent.resource_id == uid))
            .order_by(AuditEvent.seq.desc()).first().after)


def assert_documents_hold(app, client):
    """Every stored document equals its rows' state, its latest audit event's `after`, and the schema's
    dump of that state; and GET answers it."""
    with app.app_context(), database.connection_context():
        merged = {s.id: s.uid for s in Speaker.select(Speaker.id, Speaker.uid)}
        speaker_rows = list(Speaker.select().order_by(Speaker.id))
        claim_rows = list(Claim.select().order_by(Claim.id))
        computed_claims = claims.computed_states(claim_rows)
        afters = {(kind, row.uid): latest_after(kind, row.uid)
                  for kind, rows in (("speaker", speaker_rows), ("claim", claim_rows)) for row in rows}
    assert claim_rows and speaker_rows
    shown_speakers = {}
    for row in speaker_rows:
        computed = speakers.snapshot(row, merged.get(row.merged_into_id))
        assert json.loads(row.document) == SpeakerSchema().dump(computed), row.name
        assert documents.speaker_state(afters["speaker", row.uid]) == computed
        shown_speakers[row.uid] = computed
        assert client.get(f"/speakers/{row.uid}").json == SpeakerSchema().dump(computed)
    for row, computed in zip(claim_rows, computed_claims):
        assert documents.claim_state(row.document) == computed, row.text
        assert documents.claim_state(afters["claim", row.uid]) == computed, row.text
        shown = {**computed, "speaker": shown_speakers.get(computed["speaker_id"])}
        answer = client.get(f"/claims/{row.uid}")
        assert answer.json == ClaimSchema().dump(shown) and answer.headers["ETag"] == f'"v{row.version}"'


def test_documents_hold_after_every_kind_of_write(app, client, api, varied):
    decided, retracted, bare = varied
    speaker_id = client.get(f"/claims/{decided}").json["speaker_id"]
    edited = client.patch(f"/speakers/{speaker_id}", json={"role": "Prime Minister", "aliases": ["JD"]},
                          headers={"If-Match": '"v1"'})
    assert edited.status_code == 200
    party = client.get(f"/claims/{retracted}").json["speaker_id"]
    merged = client.post(f"/speakers/{party}/merge", json={"into": speaker_id}, headers={"If-Match": '"v1"'})
    assert merged.status_code == 200
    changed = client.patch(f"/claims/{bare}", json={"text": "Critics disputed the figure.", "tags": ["x"],
                                                    "speaker_id": speaker_id}, headers={"If-Match": '"v1"'})
    assert changed.status_code == 200
    with app.app_context(), database.connection_context():
        load_seeds(DEFAULT_MANIFEST, Context(actor="seed"))
    line = json.loads(export(client).splitlines()[0])
    newer = {**line, "text": "Exports rose by 12 percent.", "version": line["version"] + 1}
    assert import_body(client, json.dumps(newer)).json["updated"] == 1
    assert_documents_hold(app, client)


def test_documents_hold_after_an_import_into_an_empty_database(client, varied, new_server):
    exported = export(client)
    target, other = new_server()
    assert import_body(other, exported).json["created"] == 3
    assert_documents_hold(target, other)


def test_the_migration_fills_in_documents_from_the_rows(app, client, varied):
    with app.app_context(), database.connection_context():
        stored = {row.id: row.document for row in Claim.select()}
        Claim.update(document="").execute()
        Speaker.update(document="").execute()
        refresh_documents(page_size=2)
        assert {row.id: row.document for row in Claim.select()} == stored
    assert_documents_hold(app, client)
