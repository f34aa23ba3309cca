"""Speakers' rows and queries; each keeps its document (what the API answers) in its row."""
from playhouse.shortcuts import model_to_dict

from ..errors import NotFound
from ..rules import documents
from ..rules.speakers import EDITABLE, snapshot
from .db import insert_all
from .models import Speaker
from .paging import page
from .versioning import next_version, save_changes


def store_document(speaker, state):
    speaker.document = documents.encode(state)
    return state


def new_speaker(**fields):
    """A speaker row not yet stored, with its document: (row, its snapshot). Ids, times and the version come
    from the model's defaults unless given (an import gives them)."""
    speaker = Speaker(**fields)
    return speaker, store_document(speaker, snapshot(speaker))


def insert_speakers(rows):
    """Store new speaker rows (from `new_speaker`), in as few statements as the batch allows."""
    insert_all(Speaker, [model_to_dict(row, recurse=False, exclude=[Speaker.id]) for row in rows])


def insert_speaker(**fields):
    """A new speaker (inside the caller's write transaction); its snapshot."""
    speaker, state = new_speaker(**fields)
    insert_speakers([speaker])
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


def list_speakers(*, limit, cursor=None, name=None, include_merged=False):
    query = Speaker.select(Speaker.id, Speaker.document)
    if not include_merged:
        query = query.where(Speaker.merged_into.is_null())
    if name:
        query = query.where(Speaker.name == name)
    rows, next_cursor = page(query, Speaker.id, limit, cursor)
    return [documents.speaker_state(row.document) for row in rows], next_cursor
