"""The LIAR dataset (Wang, ACL 2017): PolitiFact statements in TSV, turned into import lines.

Columns: statement id (`2635.json`), label, statement, subjects (comma-separated), speaker slug, job
title, state, party, five credit-history counts, context. Each row becomes one claim line, stored by
the same import as NDJSON (service/actions/importing.py):
- the statement is the claim's text and also a source of its own (titled by the context, published by
  PolitiFact), kept as one sentence that the claim quotes whole: PolitiFact rates the statement as a
  unit, and every claim here is anchored in a source;
- the label becomes the claim's status through one review by PolitiFact whose rationale names the label
  and the context (a verdict needs a rationale); `barely-true` is the scale's `mostly_false`, the rung
  PolitiFact puts between half true and false;
- subjects become tags; the slug a speaker (`dwayne-bohac` is "Dwayne Bohac") with the job title as
  role, the party as affiliation and the state as region; the party `organization` (or
  `government-body`) makes the speaker an organization.
Every id is a UUID 5 of the statement id or slug, and the claim's external id is `liar:<id>`, so a file
imported twice changes nothing. The credit-history counts describe PolitiFact's record of the speaker
at collection time, not this statement, and are not kept.
"""
import uuid

from .lines import Record

LABELS = {
    "true": "true",
    "mostly-true": "mostly_true",
    "half-true": "half_true",
    "barely-true": "mostly_false",
    "false": "false",
    "pants-fire": "pants_on_fire",
}
ORGANIZATION_PARTIES = {"organization", "government-body"}
NO_PARTY = {"", "none"}
COLUMNS = 14
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.cs.ucsb.edu/~william/data/liar_dataset.zip")


def _id(name):
    return str(uuid.uuid5(NAMESPACE, name))


def liar_records(stream):
    """Each non-blank row of a LIAR TSV file (binary stream) as an import line, one at a time."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            yield Record(number, data=liar_line(raw.decode("utf-8").rstrip("\r\n").split("\t")), size=len(raw))
        except ValueError as bad:  # UnicodeDecodeError is a ValueError
            yield Record(number, error=str(bad), size=len(raw))


def _speaker(slug, job_title, state, party):
    if not slug:
        return None
    return {
        "id": _id(f"politifact-speaker:{slug}"),
        "name": " ".join(word.capitalize() for word in slug.split("-")),
        "kind": "organization" if party in ORGANIZATION_PARTIES else "person",
        "role": job_title or None,
        "affiliation": None if party in NO_PARTY | ORGANIZATION_PARTIES else party,
        "region": state or None,
        "external_id": f"politifact:{slug}",
    }


def liar_line(columns):
    if len(columns) != COLUMNS:
        raise ValueError(f"expected {COLUMNS} tab-separated columns, found {len(columns)}")
    statement_id, label, statement, subjects, slug, job_title, state, party, *_, context = (c.strip() for c in columns)
    number = statement_id.removesuffix(".json")
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}: expected one of {', '.join(LABELS)}")
    key = f"liar:{number}"
    source_id = _id(f"{key}:source")
    rationale = f"PolitiFact rating: {label}" + (f" (context: {context})" if context else "")
    return {
        "id": _id(key),
        "external_id": key,
        "text": statement,
        "status": LABELS[label],
        "tags": [subject for subject in subjects.split(",") if subject],
        "speaker": _speaker(slug, job_title, state, party),
        "sources": [{"id": source_id, "title": context or f"PolitiFact statement {number}",
                     "publisher": "PolitiFact", "text": statement, "sentences": [[0, len(statement)]]}],
        "appearances": [{
            "id": _id(f"{key}:appearance"), "source_id": source_id, "sentence_index": 0,
            "quote_selector": {"type": "TextQuoteSelector", "exact": statement, "prefix": "", "suffix": ""},
            "position_selector": {"type": "TextPositionSelector", "start": 0, "end": len(statement)},
        }],
        "reviews": [{"id": _id(f"{key}:review"), "status": LABELS[label], "verdict": LABELS[label],
                     "rationale": rationale, "reviewer": "PolitiFact"}],
    }
