"""Verifying the audit log: its hash chain, the checkpoints signed over it, and that every claim and
speaker stands as its events say, all in one read of one snapshot.

A chain alone cannot see its own newest events cut off, nor a log rewritten and chained again from the
genesis; a checkpoint someone else holds can: the event at its `seq` must hash to its `head_hash`, through
a chain unbroken up to there.
"""
from collections import defaultdict

from peewee import Case, fn

from ..rules import checkpoints as rules
from ..rules import documents
from . import audit
from .checkpoints import all_checkpoints
from .db import read_snapshot
from .models import AuditEvent, CheckpointKey, Claim, Speaker
from .paging import in_pages

REPORTED = 100  # failures and mismatches listed in a report; the counts cover all
BATCH = 1000


class _Report:
    def __init__(self):
        self.events_checked, self.first_broken_seq, self.problem = 0, None, None
        self.last_seq = self.last_hash = None  # the last event that verified: where a later check may start
        self.checkpoints_checked, self.checkpoint_failures = 0, []
        self.resources_checked, self.mismatches, self.mismatch_count = 0, [], 0

    def checkpoint_failed(self, checkpoint, where, problem):
        if len(self.checkpoint_failures) < REPORTED:
            self.checkpoint_failures.append({"checkpoint_id": checkpoint.get("id"), "seq": checkpoint.get("seq"),
                                             "failed_at_seq": where, "problem": problem})

    def mismatch(self, resource_type, resource_id, seq, problem):
        self.mismatch_count += 1
        if len(self.mismatches) < REPORTED:
            self.mismatches.append({"resource_type": resource_type, "resource_id": resource_id, "seq": seq,
                                    "problem": problem})

    def as_dict(self):
        valid = self.problem is None and not self.checkpoint_failures and not self.mismatch_count
        return {"valid": valid, "events_checked": self.events_checked, "first_broken_seq": self.first_broken_seq,
                "problem": self.problem, "checkpoints_checked": self.checkpoints_checked,
                "checkpoint_failures": self.checkpoint_failures, "resources_checked": self.resources_checked,
                "mismatches": self.mismatches, "last_seq": self.last_seq, "last_hash": self.last_hash}


def verify(held=None):
    """The whole report. `held`: checkpoints given from outside, as published (GET /audit/checkpoints);
    None: every checkpoint stored here."""
    report = _Report()
    with read_snapshot():
        checkpoints = all_checkpoints() if held is None else list(held)
        _walk_events(_signed(checkpoints, report), report)
        _check_resources(report)
    return report.as_dict()


def _signed(checkpoints, report):
    """The checkpoints whose signature holds under a key published here; the others fail, proving nothing."""
    keys = dict(CheckpointKey.select(CheckpointKey.key_id, CheckpointKey.public_key).tuples())
    holding = []
    for checkpoint in checkpoints:
        public = keys.get(checkpoint.get("key_id"))
        if public is None:
            report.checkpoint_failed(checkpoint, None, f"signed with key {checkpoint.get('key_id')!r}, "
                                                       "which this service has never published")
        elif not rules.signature_holds(checkpoint, public):
            report.checkpoint_failed(checkpoint, None, "its signature does not hold for what it states")
        else:
            holding.append(checkpoint)
    report.checkpoints_checked += len(checkpoints) - len(holding)
    return holding


def _walk_events(checkpoints, report):
    at_seq = defaultdict(list)
    for checkpoint in checkpoints:
        at_seq[checkpoint["seq"]].append(checkpoint)
    expected_prev, expected_seq = audit.GENESIS_HASH, 1
    for checkpoint in at_seq.pop(0, ()):  # signed over the empty log
        _compare(checkpoint, 0, audit.GENESIS_HASH, report)
    for batch in in_pages(AuditEvent.select(), AuditEvent.seq, BATCH):
        for event in batch:
            shown = audit.represent(event)
            if report.problem is None:
                problem = _link_problem(event, shown, expected_seq, expected_prev)
                if problem:
                    report.first_broken_seq, report.problem = event.seq, problem
                else:
                    report.last_seq, report.last_hash = event.seq, event.hash
            step = rules.version_step_problem(event.resource_type, event.action, event.before, event.after)
            if step:
                report.mismatch(event.resource_type, event.resource_id, event.seq, step)
            for checkpoint in at_seq.pop(event.seq, ()):
                _compare(checkpoint, event.seq, event.hash, report)
            # a checkpoint whose seq was skipped over names an event no longer there
            while at_seq and min(at_seq) < event.seq:
                for checkpoint in at_seq.pop(min(at_seq)):
                    report.checkpoints_checked += 1
                    report.checkpoint_failed(checkpoint, checkpoint["seq"], f"event {checkpoint['seq']}, the head "
                                             "it signed, is not in the log: events were removed or renumbered")
            expected_prev, expected_seq = event.hash, event.seq + 1
            report.events_checked += 1
    last = expected_seq - 1
    for seq in sorted(at_seq):
        for checkpoint in at_seq[seq]:
            report.checkpoints_checked += 1
            report.checkpoint_failed(checkpoint, last + 1, f"the log ends at event {last}, but the checkpoint covers "
                                     f"{seq} events: events {last + 1} to {seq} were removed")


def _link_problem(event, shown, expected_seq, expected_prev):
    if event.seq != expected_seq:
        return f"expected event {expected_seq}, found {event.seq}: an event is missing"
    if event.prev_hash != expected_prev:
        return "prev_hash does not match the previous event's hash"
    if audit.event_hash({k: v for k, v in shown.items() if k != "hash"}) != event.hash:
        return "the event's contents do not match its hash"
    return None


def _compare(checkpoint, seq, head_hash, report):
    report.checkpoints_checked += 1
    if report.first_broken_seq is not None:
        report.checkpoint_failed(checkpoint, report.first_broken_seq,
                                 f"the log before it is broken at event {report.first_broken_seq}: {report.problem}")
    elif head_hash != checkpoint["head_hash"]:
        report.checkpoint_failed(checkpoint, seq, f"event {seq} hashes to {head_hash}, not the signed head "
                                 f"{checkpoint['head_hash']}: the log up to it was rewritten")


def _check_resources(report):
    """Each claim's and speaker's stored document is its latest event's `after`; a claim's version counts
    the events that changed it (an import sets the version its line carries, so with one it may be more)."""
    for model, kind, parse in ((Claim, "claim", documents.claim_state), (Speaker, "speaker", documents.speaker_state)):
        rows_query = model.select(model.id, model.uid, model.version, model.document)
        for rows in in_pages(rows_query, model.id, BATCH):
            events = _events_of(kind, [row.uid for row in rows])
            for row in rows:
                report.resources_checked += 1
                found = events.get(row.uid)
                if found is None:
                    report.mismatch(kind, row.uid, None, "no event records it")
                    continue
                latest_seq, count, imports, after = found
                if after is None or parse(after) != parse(row.document):
                    report.mismatch(kind, row.uid, latest_seq, "its stored document differs from its latest event's `after`")
                elif kind == "claim" and (count != row.version if not imports else count > row.version):
                    report.mismatch(kind, row.uid, latest_seq,
                                    f"it is at version {row.version}, but {count} events changed it")


def _events_of(kind, uids):
    """{uid: (latest seq, events, of which imports, latest `after`)} of these resources."""
    imports = fn.SUM(Case(None, [(AuditEvent.action == "import", 1)], 0))
    counted = (AuditEvent.select(AuditEvent.resource_id, fn.MAX(AuditEvent.seq), fn.COUNT(AuditEvent.id), imports)
               .where((AuditEvent.resource_type == kind) & AuditEvent.resource_id.in_(uids))
               .group_by(AuditEvent.resource_id).tuples())
    counts = {uid: (seq, count, imports) for uid, seq, count, imports in counted}
    afters = dict(AuditEvent.select(AuditEvent.seq, AuditEvent.after)
                  .where(AuditEvent.seq.in_([seq for seq, _, _ in counts.values()])).tuples())
    return {uid: (seq, count, imports, afters.get(seq)) for uid, (seq, count, imports) in counts.items()}


def exported_events(page_size=BATCH):
    """Every event as one line of canonical JSON, exactly the form its hash covers plus the hash (NDJSON),
    oldest first, read in keyset pages from one snapshot: what an outside verifier reads."""
    with read_snapshot():
        for rows in in_pages(AuditEvent.select(), AuditEvent.seq, page_size):
            for event in rows:
                yield audit.canonical(audit.hashed_form(audit.represent(event))) + "\n"
