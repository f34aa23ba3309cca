"""Load the seed article and its hand-curated claims through the same rule functions as the API."""
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..store.db import write_transaction
from ..store.models import Appearance, Claim, Source, Speaker
from ..store.candidates import is_extracted
from ..store.sources import find_by_text
from . import candidates
from .claims import create_claim
from .sources import create_source
from .speakers import create_speaker

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
DEFAULT_MANIFEST = SEEDS_DIR / "claims.yaml"
_DATE_LINE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s+")


@dataclass
class SeedReport:
    created: dict = field(default_factory=lambda: {"sources": 0, "speakers": 0, "claims": 0})
    existing: dict = field(default_factory=lambda: {"sources": 0, "speakers": 0, "claims": 0})
    proposed: int = 0  # candidates extraction proposed from the article
    linked: int = 0  # curated claims linked to one of them as its accepted candidate

    def summary(self):
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items())
        kept = ", ".join(f"{n} {kind}" for kind, n in self.existing.items())
        return (f"seed: created {made}; already present {kept}; candidates: {self.proposed} proposed, "
                f"{self.linked} linked to curated claims")


def split_article(raw):
    """The article's leading `date YYYY-MM-DD` is its published date; the rest is the body."""
    match = _DATE_LINE.match(raw)
    if not match:
        return None, raw
    return date.fromisoformat(match.group(1)), raw[match.end():]


def sentence_holding(source_uid, quote):
    """The one sentence of the source that contains `quote` (a seed that is ambiguous is a seed bug)."""
    holders = [s.index for s in Source.get(Source.uid == source_uid).sentences if quote in s.text]
    if len(holders) != 1:
        raise ValueError(f"seed quote must occur in exactly one sentence, found {len(holders)}: {quote!r}")
    return holders[0]


def load_seeds(manifest_path, ctx, progress=lambda line: None):
    """Load what is missing. All under the write lock, so hosts starting together seed only once."""
    with write_transaction():
        return _load_missing(Path(manifest_path), ctx, progress)


def _load_missing(manifest_path, ctx, progress):
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    report = SeedReport()

    meta = manifest["source"]
    raw = (manifest_path.parent / meta["file"]).read_text(encoding="utf-8")
    published, body = split_article(raw)
    source = find_by_text(body)
    if source:
        report.existing["sources"] += 1
    else:
        source = create_source(
            ctx, title=meta["title"], text=body, url=meta.get("url"), publisher=meta.get("publisher"),
            published_date=published, language=meta.get("language", "en"),
        )
        report.created["sources"] += 1
        progress(f"created source {source['id']}: {source['title']} ({source['sentence_count']} sentences)")

    speaker_ids = {}
    for key, person in manifest["speakers"].items():
        found = Speaker.get_or_none(Speaker.name == person["name"])
        if found:
            speaker_ids[key] = found.uid
            report.existing["speakers"] += 1
            continue
        made = create_speaker(ctx, **person)
        speaker_ids[key] = made["id"]
        report.created["speakers"] += 1
        progress(f"created speaker {made['id']}: {made['name']}")

    in_source = Appearance.select(Appearance.claim).join(Source).where(Source.uid == source["id"])
    curated = []
    for item in manifest["claims"]:
        curated.append((item, sentence_holding(source["id"], item["quote"])))
        if Claim.select().where((Claim.text == item["text"]) & Claim.id.in_(in_source)).exists():
            report.existing["claims"] += 1
            continue
        made = create_claim(
            ctx,
            text=item["text"],
            speaker_id=speaker_ids[item["speaker"]],
            claim_date=item.get("claim_date"),
            tags=item.get("tags", []),
            appearance={
                "source_id": source["id"],
                "sentence_index": sentence_holding(source["id"], item["quote"]),
                "quote": item["quote"],
            },
        )
        report.created["claims"] += 1
        progress(f"created claim {made.parsed()['id']}: {item['text']}")
    _propose_and_link(ctx, source["id"], curated, speaker_ids, report, progress)
    return report


def _propose_and_link(ctx, source_id, curated, speaker_ids, report, progress):
    """Extraction runs over the article too, and each curated claim becomes the accepted candidate of its
    sentence and speaker, so a new user sees the curated claims and what extraction proposed."""
    if not is_extracted(source_id):
        report.proposed = candidates.propose_for_source(ctx, source_id).proposed
        progress(f"proposed {report.proposed} candidate claims from source {source_id}")
    for item, sentence_index in curated:
        claim = (Claim.select(Claim.uid, Appearance.start, Appearance.end).join(Appearance).join(Source)
                 .where((Source.uid == source_id) & (Claim.text == item["text"])).objects().first())
        linked = candidates.link_curated(ctx, source_id, claim.uid, sentence_index=sentence_index,
                                         speaker_id=speaker_ids[item["speaker"]], start=claim.start, end=claim.end,
                                         reason="a curated seed claim")
        report.linked += linked is not None
