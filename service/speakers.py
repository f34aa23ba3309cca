"""Speakers: people and organisations that make claims. Changed in place, never deleted."""
from . import audit
from .db import write_transaction
from .errors import NotFound
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


def list_speakers(*, limit, cursor=None, name=None):
    query = Speaker.select()
    if name:
        query = query.where(Speaker.name == name)
    rows, next_cursor = page(query, Speaker.id, limit, cursor)
    return [snapshot(row) for row in rows], next_cursor

