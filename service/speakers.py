"""Speakers: people and organisations that make claims. Changed in place, never deleted."""
from . import audit, documents
from .claims import move_claims
from .db import write_transaction
from .errors import Conflict, Invalid, NotFound
from .models import Speaker
from .pagination import page
from .versioning import check_version, next_version, save_changes

EDITABLE = ("name", "kind", "aliases", "role", "affiliation", "region", "external_id")
KINDS = ("person", "organization")


def snapshot(speaker, merged_into_id=None):
    """The speaker as the API shows it and the audit log keeps it; `merged_into_id` is the public id of
    the speaker it was merged into."""
    return {
        "id": speaker.uid,
        "name": speaker.name,
        "kind": speaker.kind,
        "aliases": list(speaker.aliases or []),
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "region": speaker.region,
        "external_id": speaker.external_id,
        "merged_into_id": merged_into_id,
        "version": speaker.version,
        "created_at": speaker.created_at,
        "updated_at": speaker.updated_at,
    }


def store_document(speaker, state):
    speaker.document = documents.encode(state)
    return state


def insert_speaker(**fields):
    """A new speaker row with its document (inside the caller's write transaction); its snapshot.
    Ids, times and the version come from the model's defaults unless given (an import gives them)."""
    speaker = Speaker(**fields)
    state = store_document(speaker, snapshot(speaker))
    speaker.save(force_insert=True)
    return state


def create_speaker(ctx, *, name, kind="person", aliases=(), role=None, affiliation=None, region=None,
                   external_id=None):
    with write_transaction():
        state = insert_speaker(name=name, kind=kind, aliases=list(aliases), role=role, affiliation=affiliation,
                               region=region, external_id=external_id)
        audit.record(ctx, "speaker", state["id"], "create", None, state)
    return state


def speaker_row(uid):
    speaker = Speaker.get_or_none(Speaker.uid == uid)
    if speaker is None:
        raise NotFound(f"no speaker with id {uid}")
    return speaker


def get_speaker(uid):
    return documents.speaker_state(speaker_row(uid).document)


def change_speaker(speaker, changes, merged_into=None):
    """Apply `changes` (editable fields) to a stored speaker as its next version, with its document;
    (before, after) for the audit log. `merged_into` marks it merged into that speaker row."""
    before = documents.speaker_state(speaker.document)
    for name in EDITABLE:
        if name in changes:
            setattr(speaker, name, list(changes[name]) if name == "aliases" else changes[name])
    if merged_into is not None:
        speaker.merged_into = merged_into.id
    next_version(speaker)
    after = store_document(speaker, snapshot(speaker, merged_into.uid if merged_into else before["merged_into_id"]))
    save_changes(speaker)
    return before, after


def update_speaker(ctx, uid, changes, *, expected_version, reason=None):
    with write_transaction():
        speaker = speaker_row(uid)
        check_version(speaker, expected_version)
        before, after = change_speaker(speaker, changes)
        audit.record(ctx, "speaker", speaker.uid, "update", before, after, reason)
    return after


def merge_speaker(ctx, uid, *, into, expected_version, reason=None):
    """`uid` is the same person or organisation as `into`: its claims move there, its names become
    aliases there, and it stays, marked as merged, so old links and the history still resolve."""
    with write_transaction():
        speaker, target = speaker_row(uid), speaker_row(into)
        check_version(speaker, expected_version)
        if speaker.id == target.id:
            raise Invalid("a speaker cannot be merged into itself", errors={"into": ["must be another speaker"]})
        for already in (speaker, target):
            if already.merged_into_id:
                raise Conflict(f"speaker {already.uid} was already merged into {already.merged_into.uid}")
        move_claims(ctx, speaker, target, reason=reason or f"speaker {uid} merged into {into}")
        aliases = list(dict.fromkeys([*target.aliases, speaker.name, *speaker.aliases]))
        audit.record(ctx, "speaker", target.uid, "update", *change_speaker(target, {"aliases": aliases}), reason)
        before, after = change_speaker(speaker, {}, merged_into=target)
        audit.record(ctx, "speaker", uid, "merge", before, after, reason)
    return after


def list_speakers(*, limit, cursor=None, name=None, include_merged=False):
    query = Speaker.select(Speaker.id, Speaker.document)
    if not include_merged:
        query = query.where(Speaker.merged_into.is_null())
    if name:
        query = query.where(Speaker.name == name)
    rows, next_cursor = page(query, Speaker.id, limit, cursor)
    return [documents.speaker_state(row.document) for row in rows], next_cursor
