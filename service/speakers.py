"""Speakers: people and organisations that make claims. Changed in place, never deleted."""
from . import audit
from .db import write_transaction
from .errors import Conflict, Invalid, NotFound
from .models import Speaker
from .pagination import page
from .versioning import bump_version, check_version

EDITABLE = ("name", "kind", "aliases", "role", "affiliation", "region", "external_id")
KINDS = ("person", "organization")


def snapshot(speaker):
    return {
        "id": speaker.uid,
        "name": speaker.name,
        "kind": speaker.kind,
        "aliases": list(speaker.aliases or []),
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "region": speaker.region,
        "external_id": speaker.external_id,
        "merged_into_id": speaker.merged_into_uid,
        "version": speaker.version,
        "created_at": speaker.created_at,
        "updated_at": speaker.updated_at,
    }


def create_speaker(ctx, *, name, kind="person", aliases=(), role=None, affiliation=None, region=None,
                   external_id=None):
    with write_transaction():
        speaker = Speaker.create(
            name=name, kind=kind, aliases=list(aliases), role=role, affiliation=affiliation, region=region,
            external_id=external_id,
        )
        audit.record(ctx, "speaker", speaker.uid, "create", None, snapshot(speaker))
    return snapshot(speaker)


def _speaker_row(uid):
    speaker = Speaker.get_or_none(Speaker.uid == uid)
    if speaker is None:
        raise NotFound(f"no speaker with id {uid}")
    return speaker


def get_speaker(uid):
    return snapshot(_speaker_row(uid))


def update_speaker(ctx, uid, changes, *, expected_version, reason=None):
    with write_transaction():
        speaker = _speaker_row(uid)
        check_version(speaker, expected_version)
        before = snapshot(speaker)
        for name in EDITABLE:
            if name in changes:
                setattr(speaker, name, list(changes[name]) if name == "aliases" else changes[name])
        bump_version(speaker)
        audit.record(ctx, "speaker", speaker.uid, "update", before, snapshot(speaker), reason)
    return snapshot(speaker)


def merge_speaker(ctx, uid, *, into, expected_version, reason=None):
    """`uid` is the same person or organisation as `into`: its claims move there, its names become
    aliases there, and it stays, marked as merged, so old links and the history still resolve."""
    from .claims import move_claims  # claims imports this module

    with write_transaction():
        speaker, target = _speaker_row(uid), _speaker_row(into)
        check_version(speaker, expected_version)
        if speaker.id == target.id:
            raise Invalid("a speaker cannot be merged into itself", errors={"into": ["must be another speaker"]})
        for already in (speaker, target):
            if already.merged_into_id:
                raise Conflict(f"speaker {already.uid} was already merged into {already.merged_into.uid}")
        move_claims(ctx, speaker, target, reason=reason or f"speaker {uid} merged into {into}")
        target_before = snapshot(target)
        target.aliases = list(dict.fromkeys([*target.aliases, speaker.name, *speaker.aliases]))
        bump_version(target)
        audit.record(ctx, "speaker", target.uid, "update", target_before, snapshot(target), reason)
        before = snapshot(speaker)
        speaker.merged_into = target.id
        bump_version(speaker)
        audit.record(ctx, "speaker", uid, "merge", before, snapshot(speaker), reason)
    return snapshot(_speaker_row(uid))


def list_speakers(*, limit, cursor=None, name=None, include_merged=False):
    query = Speaker.select()
    if not include_merged:
        query = query.where(Speaker.merged_into.is_null())
    if name:
        query = query.where(Speaker.name == name)
    rows, next_cursor = page(query, Speaker.id, limit, cursor)
    return [snapshot(row) for row in rows], next_cursor

