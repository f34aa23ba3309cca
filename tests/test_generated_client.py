"""A Python client generated from openapi.yaml, used as generated (no hand edits), does a fact-checker's
whole round against a live gunicorn: source, speaker, claims, a review under If-Match, a filtered list
page by page, and the claim's history."""
import importlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.live_server import ROOT
from tests.samples import ARTICLE

BIN = Path(sys.executable).parent
PACKAGE = "claimtrail_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """openapi-python-client's package for openapi.yaml, imported; the generator must not warn about the spec."""
    out = tmp_path_factory.mktemp("generated")
    run = subprocess.run(
        [BIN / "openapi-python-client", "generate", "--path", ROOT / "openapi.yaml",
         "--config", ROOT / "openapi-client.yaml", "--output-path", out / PACKAGE, "--meta", "none"],
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},  # it formats with ruff from PATH
        capture_output=True, text=True, timeout=120,
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0 and "warning" not in report.lower() and "error" not in report.lower(), report
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_generated_client_records_reviews_pages_and_reads_history(generated, gunicorn_server):
    from claimtrail_client.api.audit import get_claim_history
    from claimtrail_client.api.claims import create_claim, list_claims
    from claimtrail_client.api.reviews import create_claim_review
    from claimtrail_client.api.sources import create_source
    from claimtrail_client.api.speakers import create_speaker
    from claimtrail_client.models import (
        AppearanceInput, ClaimCreate, ClaimCreated, EvidenceInput, EvidenceInputStance, Review, ReviewCreate,
        SourceCreate, SourceCreated, Speaker, SpeakerCreate,
    )

    key = gunicorn_server.key("admin", owner="live-test")["Authorization"].removeprefix("Bearer ")
    client = generated.AuthenticatedClient(base_url=gunicorn_server.url, token=key, raise_on_unexpected_status=True)
    source = create_source.sync(client=client, body=SourceCreate(title="Trade report", text=ARTICLE,
                                                                  published_date=date(2024, 3, 18)))
    speaker = create_speaker.sync(client=client, body=SpeakerCreate(name="Jane Minister"))
    assert isinstance(source, SourceCreated) and isinstance(speaker, Speaker)

    made = []
    for _ in range(3):
        body = ClaimCreate(text="Exports rose 12 percent in 2023.", speaker_id=speaker.id, tags=["trade"],
                           appearance=AppearanceInput(source_id=source.id, sentence_index=2,
                                                      quote="exports rose 12 percent"))
        response = create_claim.sync_detailed(client=client, body=body)
        assert response.status_code == 201 and isinstance(response.parsed, ClaimCreated)
        made.append(response)
    claim, etag = made[0].parsed, made[0].headers["ETag"]
    assert claim.speaker.name == "Jane Minister"
    assert claim.appearances[0].quote_selector.exact == "exports rose 12 percent"

    opened = create_claim_review.sync_detailed(claim.id, client=client, body=ReviewCreate(), if_match=etag)
    assert opened.status_code == 201 and opened.parsed.status == "in_review"
    verdict = create_claim_review.sync(
        claim.id, client=client, if_match='"v2"',
        body=ReviewCreate(verdict="mostly_true", rationale="The agency reports 11.8 percent.",
                          evidence=[EvidenceInput(stance=EvidenceInputStance.CONTEXT,
                                                  url="https://stats.example/exports-2023")]),
    )
    assert isinstance(verdict, Review) and verdict.verdict == "mostly_true"
    assert verdict.evidence[0].url == "https://stats.example/exports-2023"

    seen, cursor, pages = [], None, 0
    while True:
        page = list_claims.sync(client=client, speaker_id=speaker.id, tag="trade", limit=2,
                                **({"cursor": cursor} if cursor else {}))
        seen += [c.id for c in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [m.parsed.id for m in made] and pages == 2
    assert [c.status for c in list_claims.sync(client=client, speaker_id=speaker.id).items][0] == "mostly_true"

    history = get_claim_history.sync(claim.id, client=client)
    assert [(e.resource_type, e.action) for e in history.items] == [
        ("claim", "create"), ("review", "create"), ("claim", "review"), ("review", "create"), ("claim", "review"),
    ]
    assert history.items[-1].after["status"] == "mostly_true"
    assert {e.actor for e in history.items} == {"live-test"}


def test_generated_client_proposes_lists_accepts_and_rejects_candidates(generated, gunicorn_server):
    from claimtrail_client.api.candidates import (
        accept_candidate, get_candidate, list_candidates, list_source_candidates, propose_source_candidates,
        reject_candidate,
    )
    from claimtrail_client.api.sources import create_source
    from claimtrail_client.models import (
        Acceptance, Accepted, Candidate, CandidateStatus, ExtractionRequest, RejectionInput, RejectionInputReason,
        SourceCreate,
    )

    key = gunicorn_server.key("admin", owner="live-checker")["Authorization"].removeprefix("Bearer ")
    client = generated.AuthenticatedClient(base_url=gunicorn_server.url, token=key, raise_on_unexpected_status=True)
    text = ("Health Minister Maria Ortega said the ministry would open 40 new clinics by April. "
            "Finance Minister Daniel Reyes said the budget would cut the deficit.")
    source = create_source.sync(client=client, body=SourceCreate(title="Clinics", text=text))
    assert source.extraction.proposed == 2  # proposed when stored
    unextracted = create_source.sync(client=client, body=SourceCreate(title="Clinics again", text=text), extract=False)
    assert unextracted.extraction is None
    report = propose_source_candidates.sync(unextracted.id, client=client, body=ExtractionRequest())
    assert report.proposed == 2 and report.already_present == 0

    proposed = list_source_candidates.sync(source.id, client=client, status=CandidateStatus.PROPOSED).items
    assert [c.speaker.name for c in proposed] == ["Maria Ortega", "Daniel Reyes"]
    first, second = proposed
    read = get_candidate.sync_detailed(first.id, client=client)
    assert isinstance(read.parsed, Candidate) and read.headers["ETag"] == '"v1"'

    accepted = accept_candidate.sync_detailed(first.id, client=client, if_match=read.headers["ETag"],
                                              body=Acceptance(tags=["health"]))
    assert accepted.status_code == 201 and isinstance(accepted.parsed, Accepted)
    assert accepted.parsed.candidate.claim_id == accepted.parsed.claim.id
    assert accepted.parsed.claim.appearances[0].quote_selector.exact == first.quote_selector.exact

    rejected = reject_candidate.sync(second.id, client=client, if_match='"v1"',
                                     body=RejectionInput(reason=RejectionInputReason.WRONG_SPLIT, note="one statement"))
    assert rejected.status == CandidateStatus.REJECTED and rejected.rejection.reason == "wrong_split"
    everything = list_candidates.sync(client=client, source_id=source.id, limit=1)
    assert len(everything.items) == 1 and everything.next_cursor
    assert [c.status for c in list_candidates.sync(client=client, source_id=source.id).items] == [
        CandidateStatus.ACCEPTED, CandidateStatus.REJECTED]
