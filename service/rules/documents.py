"""Stored documents: a claim's or a speaker's representation, kept as JSON text in its own row.

The write path stores each document in the same transaction as the audit event whose `after` holds the
same state, so a read is one query that hands the text out as it is. A claim's document leaves out its
speaker, whose own document is joined in when the claim is read: a speaker's edit changes one row, not
every claim it made.
"""
import json
from dataclasses import dataclass

from ..clock import parse_date, parse_time, time_on_the_wire


@dataclass(frozen=True)
class Stored:
    """A resource as the API shows it, as JSON text, with the version its ETag names."""

    document: str
    version: int

    def parsed(self):
        return json.loads(self.document)


def encode(state):
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"), default=time_on_the_wire)


def claim_shown(claim_document, speaker_document, **extra):
    """The claim as the API shows it: its document with the speaker's (or null) and any `extra` JSON
    members joined in, as text. A document is a JSON object, so members go in before its last brace."""
    members = "".join(f",{json.dumps(name)}:{json.dumps(value, ensure_ascii=False)}" for name, value in extra.items())
    return f'{claim_document[:-1]},"speaker":{speaker_document or "null"}{members}}}'


def speaker_state(document):
    """A speaker's document (or a snapshot in the audit log) as Python values again."""
    state = json.loads(document) if isinstance(document, str) else dict(document)
    state["created_at"], state["updated_at"] = parse_time(state["created_at"]), parse_time(state["updated_at"])
    return state


def claim_state(document):
    """A claim's document (or a snapshot in the audit log) as Python values again."""
    state = json.loads(document) if isinstance(document, str) else dict(document)
    state["created_at"], state["updated_at"] = parse_time(state["created_at"]), parse_time(state["updated_at"])
    state["claim_date"] = parse_date(state["claim_date"])
    state["appearances"] = [{**a, "created_at": parse_time(a["created_at"])} for a in state["appearances"]]
    return state


def shown_claim_state(shown):
    """A claim as `claim_shown` gives it, as Python values again."""
    state = json.loads(shown)
    speaker = state.pop("speaker")
    return {**claim_state(state), "speaker": speaker_state(speaker) if speaker else None}
