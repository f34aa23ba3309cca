"""Bulk export and import of claims as NDJSON: one self-contained claim a line (schemas/bulk.py).

A line carries the claim with its speaker, appearances and reviews, and every source they point into
with its full text and sentence offsets, so that each line can be stored on its own. Ids, times and
versions are kept: exporting, then importing into an empty database, gives back the same data.

Import matches a claim by `external_id` (its id when it has none), so importing twice changes nothing:
a stored claim the line agrees with is left alone, and one the line differs from is updated only by a
newer version. Sources, appearances and reviews never change once stored, and nothing is deleted.
Reading lines is here; storing them is service/actions/importing.py, exporting them service/store/lines.py.
"""
import json
from dataclasses import dataclass

from ..errors import Invalid
from .claims import normalise_tags
from .provenance import Anchor, context_matches, quote_matches, text_sha256
from .reviews import cites_a_sentence, check_history
from .segmenting import check_spans

MAX_LINE_BYTES = 16 * 1024 * 1024


def source_ids(line):
    """The sources a line points into (appearances, then evidence), each once, in the order first named."""
    named = [a["source_id"] for a in line["appearances"]]
    named += [e["source_id"] for r in line["reviews"] for e in r["evidence"] if e.get("source_id")]
    return list(dict.fromkeys(named))


@dataclass(frozen=True)
class Record:
    """One line of input: its number, its content (parsed JSON, then loaded by the line's schema) or why
    there is none, its size."""

    number: int
    data: object = None
    error: str | None = None
    size: int = 0


def ndjson_records(stream, max_line_bytes=MAX_LINE_BYTES):
    """The non-blank lines of a binary stream, parsed one at a time: never more than a line in memory."""
    number = 0
    while raw := stream.readline(max_line_bytes + 1):
        number += 1
        if len(raw) > max_line_bytes:
            size = len(raw)
            while not raw.endswith(b"\n") and (raw := stream.readline(max_line_bytes)):
                size += len(raw)
            yield Record(number, error=f"the line is longer than {max_line_bytes} bytes", size=size)
        elif raw.strip():
            try:
                yield Record(number, data=json.loads(raw), size=len(raw))
            except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
                yield Record(number, error=f"not a JSON document: {exc}", size=len(raw))


class LineParser:
    """Checks lines one at a time. An export carries a source on every line that quotes it, so the
    sources found whole (hash and sentence spans) are remembered, and a line carrying one again with the
    same text and spans is not checked twice; at most REMEMBERED_CHARS of their text are kept."""

    REMEMBERED_CHARS = 1_000_000

    def __init__(self):
        self.whole = {}  # source id: (text, sentence spans, sha256)
        self.chars = 0

    def parse(self, record):
        """The record as a checked line: only what it gives (no defaults), tags normalised, each source's
        sha256 set. Raises Invalid."""
        if record.error:
            raise Invalid(record.error)
        line = record.data
        line.setdefault("external_id", line["id"])
        line["tags"] = normalise_tags(line["tags"])
        _check(line, self._check_source)
        return line

    def _check_source(self, source):
        """Its sha256, when given, is its text's, and its sentence spans fit the text."""
        text, spans = source["text"], source["sentences"]
        known = self.whole.get(source["id"])
        found_whole = known is not None and known[0] == text and known[1] == spans
        sha256 = known[2] if found_whole else text_sha256(text)
        if source.get("sha256", sha256) != sha256:
            raise Invalid(f"source {source['id']}: sha256 is not the SHA-256 of its text")
        source["sha256"] = sha256
        if found_whole:
            return
        try:
            check_spans(text, spans)
        except Invalid as bad:
            raise Invalid(f"source {source['id']}: {bad.detail}") from None
        if self.chars + len(text) > self.REMEMBERED_CHARS:
            self.whole, self.chars = {}, 0
        self.whole[source["id"]] = (text, spans, sha256)
        self.chars += len(text)


def _check(line, check_source):
    """What a line must satisfy on its own, before the database is asked anything."""
    carried = {}
    for source in line["sources"]:
        if source["id"] in carried:
            raise Invalid(f"source {source['id']} is carried twice")
        check_source(source)
        carried[source["id"]] = source
    if set(carried) != set(source_ids(line)):
        raise Invalid("sources must be exactly the ones the appearances and evidence point into")
    for part in ("appearances", "reviews"):
        ids = [item["id"] for item in line[part]]
        if len(set(ids)) != len(ids):
            raise Invalid(f"two {part} share an id")
    for appearance in line["appearances"]:
        _check_appearance(appearance, carried[appearance["source_id"]])
    for n, review in enumerate(line["reviews"]):
        for item in review["evidence"]:
            if cites_a_sentence(item):
                source, index = carried.get(item.get("source_id")), item.get("sentence_index")
                if source is None or index is None or index >= len(source["sentences"]):
                    raise Invalid(f"review {n}: evidence names no sentence of a carried source")
    check_history(line["reviews"], line["status"])


def _check_appearance(appearance, source):
    """The selectors must hold in the carried text, inside the sentence they name."""
    spans, index = source["sentences"], appearance["sentence_index"]
    if index >= len(spans):
        raise Invalid(f"appearance {appearance['id']}: source {source['id']} has no sentence {index}")
    quote, position = appearance["quote_selector"], appearance["position_selector"]
    anchor = Anchor(exact=quote["exact"], prefix=quote["prefix"], suffix=quote["suffix"],
                    start=position["start"], end=position["end"])
    inside = spans[index][0] <= anchor.start < anchor.end <= spans[index][1]
    if not (inside and quote_matches(source["text"], anchor) and context_matches(source["text"], anchor)):
        raise Invalid(f"appearance {appearance['id']}: its selectors do not match sentence {index} of the text")
