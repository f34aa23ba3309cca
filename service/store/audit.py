"""The audit log: append-only, hash-chained, and the only record of who changed what and why.

Every write in the rule modules calls `record` inside the same `write_transaction` as the change,
so a change and its event commit together or not at all. The write lock in that transaction keeps
one writer at a time, so each event's `prev_hash` is the hash of the event just before it.
"""
import hashlib
import json
from dataclasses import dataclass

from ..clock import time_as_text, utcnow
from .db import Prepared, insert_all
from .models import AuditEvent
from . import checkpoints, paging
from .paging import decode_cursor, encode_cursor, page

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Context:
    """Who is writing and under which request: passed from the edge (HTTP, CLI, seeds) to every write."""

    actor: str = "system"
    request_id: str | None = None
    key_id: str | None = None  # the API key's uid; None for the command line and seeds


def canonical(event_fields):
    # Times become text as they are stored (models.AuditEvent), so a stored event hashes the same.
    return json.dumps(event_fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=time_as_text)


def hashed_form(fields):
    """An event's fields as its hash covers them: actor_key_id came later and counts only when set, so the
    events written before it still verify (an export gives events in this form)."""
    if fields.get("actor_key_id") is None:
        return {name: value for name, value in fields.items() if name != "actor_key_id"}
    return fields


def event_hash(fields):
    return hashlib.sha256(canonical(hashed_form(fields)).encode("utf-8")).hexdigest()


def _hashed_fields(event):
    return {
        "seq": event.seq,
        "resource_type": event.resource_type,
        "resource_id": event.resource_id,
        "action": event.action,
        "actor": event.actor,
        "actor_key_id": event.actor_key_id,
        "at": event.at,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }


def _event(previous, ctx, resource_type, resource_id, action, before, after, reason=None, at=None):
    """The event after `previous` ((seq, hash); None: the first) as a row to insert, hashed."""
    seq, prev_hash = (previous[0] + 1, previous[1]) if previous else (1, GENESIS_HASH)
    row = {"seq": seq, "resource_type": resource_type, "resource_id": resource_id, "action": action,
           "actor": ctx.actor, "actor_key_id": ctx.key_id, "at": at or utcnow(), "before": before, "after": after,
           "reason": reason, "request_id": ctx.request_id, "prev_hash": prev_hash}
    row["hash"] = event_hash(row)  # over the fields _hashed_fields names: the row has no others yet
    return row


def chained(previous, ctx, resource_type, resource_id, action, before, after, reason=None, at=None):
    """The event that follows `previous` (None: the first), hashed but not saved."""
    return AuditEvent(**_event((previous.seq, previous.hash) if previous else None, ctx, resource_type,
                               resource_id, action, before, after, reason, at))


def record(ctx, resource_type, resource_id, action, before, after, reason=None):
    record_many(ctx, [(resource_type, resource_id, action, before, after, reason)])


_HEAD = Prepared(lambda slot: AuditEvent.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
                 .limit(1))  # the last event: (seq, hash)


def record_many(ctx, changes):
    """Append one event per change, in order, each chained to the one before; one insert for them all.

    `changes` are (resource_type, resource_id, action, before, after, reason) tuples.
    """
    previous = next(iter(_HEAD.execute().fetchall()), None)
    rows = []
    for change in changes:
        rows.append(_event(previous, ctx, *change))
        previous = rows[-1]["seq"], rows[-1]["hash"]
    insert_all(AuditEvent, rows)
    if rows:  # a checkpoint when one is due (every N events or M minutes): the one place events are appended
        checkpoints.after_append(rows[0]["seq"], rows[-1]["seq"], rows[-1]["hash"])


def verify_chain(batch_size=1000, *, from_seq=None, from_hash=None, at_most=None):
    """Walk the log in order; report the first event whose link or hash does not hold.

    From a verified point (`from_seq` with the hash it had then) only the newer events are walked, so a
    routine check costs what was written since; the point itself must still hold that hash. `at_most`
    bounds the events walked: the report's last_seq says where to go on.
    """
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    query = AuditEvent.select()
    if from_seq:
        start = AuditEvent.get_or_none(AuditEvent.seq == from_seq)
        if start is None or start.hash != from_hash or event_hash(_hashed_fields(start)) != start.hash:
            return _report(False, 0, from_seq, "the verified point's event is missing or no longer has that hash",
                           None, None)
        expected_prev, expected_seq = start.hash, from_seq + 1
        query = query.where(AuditEvent.seq > from_seq)
    last = (from_seq, from_hash) if from_seq else (None, None)
    for batch in paging.in_pages(query, AuditEvent.seq, min(batch_size, at_most or batch_size)):
        for event in batch:
            if at_most is not None and checked >= at_most:
                return _report(True, checked, None, None, *last)
            problem = None
            if event.seq != expected_seq:
                problem = f"expected event {expected_seq}, found {event.seq}: an event is missing"
            elif event.prev_hash != expected_prev:
                problem = "prev_hash does not match the previous event's hash"
            elif event_hash(_hashed_fields(event)) != event.hash:
                problem = "the event's contents do not match its hash"
            if problem:
                return _report(False, checked, event.seq, problem, *last)
            expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
            last = event.seq, event.hash
    return _report(True, checked, None, None, *last)


def _report(valid, checked, broken_seq, problem, last_seq, last_hash):
    """`last_seq` and `last_hash` name the last event that verified: the next check may start there."""
    return {"valid": valid, "events_checked": checked, "first_broken_seq": broken_seq, "problem": problem,
            "last_seq": last_seq, "last_hash": last_hash,
            # a check of the chain alone: no checkpoints, claims or speakers compared (GET /audit/verify)
            "checkpoints_checked": 0, "checkpoint_failures": [], "resources_checked": 0, "mismatches": []}


def represent(event):
    return {**_hashed_fields(event), "hash": event.hash}


def history(resource_type, resource_id, *, related=None, limit, cursor=None):
    """Events of one resource, and of `related` (type, ids-subquery) resources such as a claim's reviews."""
    where = (AuditEvent.resource_type == resource_type) & (AuditEvent.resource_id == resource_id)
    if related is not None:
        related_type, related_ids = related
        where |= (AuditEvent.resource_type == related_type) & AuditEvent.resource_id.in_(related_ids)
    rows, next_cursor = page(AuditEvent.select().where(where), AuditEvent.seq, limit, cursor)
    return [represent(e) for e in rows], next_cursor


def feed(*, limit, after=None, hidden=()):
    """All events in order, but those of the `hidden` resource types. The cursor always points past the last
    event returned, so a follower can keep polling with it; it is null only when the page is empty (nothing
    newer yet: poll again later with the cursor you have)."""
    query = AuditEvent.select()
    if hidden:
        query = query.where(AuditEvent.resource_type.not_in(hidden))
    rows = paging.after(query, AuditEvent.seq, decode_cursor(after) if after else None, limit)
    return [represent(e) for e in rows], (encode_cursor(rows[-1].seq) if rows else None)


def state_at(resource_type, resource_id, moment):
    """The resource's recorded state (`after`) as of `moment`, or None if it did not exist yet."""
    event = (
        AuditEvent.select(AuditEvent.after)
        .where((AuditEvent.resource_type == resource_type) & (AuditEvent.resource_id == resource_id)
               & (AuditEvent.at <= moment))
        .order_by(AuditEvent.seq.desc())
        .first()
    )
    return event.after if event else None
