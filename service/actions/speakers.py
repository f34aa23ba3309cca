"""Speaker writes. Speakers are changed in place and merged, never deleted."""
from ..errors import Conflict, Invalid
from ..store import audit
from ..store.db import write_transaction
from ..store.speakers import change_speaker, insert_speaker, speaker_row
from ..store.versioning import check_version
from .claims import move_claims


def create_speaker(ctx, *, name, kind="person", aliases=(), role=None, affiliation=None, region=None,
                   external_id=None):
    with write_transaction():
        state = insert_speaker(name=name, kind=kind, aliases=list(aliases), role=role, affiliation=affiliation,
                               region=region, external_id=external_id)
        audit.record(ctx, "speaker", state["id"], "create", None, state)
    return state


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
