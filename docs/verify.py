#!/usr/bin/env python3
"""Check a Claimtrail audit log without the service: plain Python 3.9+ and the `cryptography` package.

    python docs/verify.py --log audit.ndjson --checkpoints checkpoints.json --keys keys.json \\
        [--claims claims.ndjson]

- audit.ndjson:      GET /audit/export (or `flask audit export`): one event a line.
- checkpoints.json:  checkpoints you kept: GET /audit/checkpoints pages, GET /audit/checkpoints/latest,
                     a list of them, or NDJSON. Ones you fetched long ago are the ones that prove most.
- keys.json:         GET /audit/keys.
- claims.ndjson:     GET /export (or `flask export`), checked claim by claim against the log.

Prints every problem found, each saying where, and exits 1 if there is any (0 when all holds).
docs/audit.md describes every format. This file imports nothing from Claimtrail, on purpose: copy it.
"""
import argparse
import base64
import hashlib
import json
import sys
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS_HASH = "0" * 64
LOG_NAME = "claimtrail-audit"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event):
    """SHA-256 of the event's canonical JSON, without its own `hash`."""
    return hashlib.sha256(canonical({k: v for k, v in event.items() if k != "hash"}).encode("utf-8")).hexdigest()


def read_json_items(path):
    """A JSON document (one object, a list, or a page with `items`) or NDJSON, as a list of objects."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    try:
        found = json.loads(text)
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(found, dict):
        return found["items"] if "items" in found else [found]
    return found


def read_ndjson(path):
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            if line.strip():
                yield number, json.loads(line)


class Findings:
    def __init__(self):
        self.problems = []

    def add(self, where, problem):
        self.problems.append(f"{where}: {problem}")
        print(f"FAIL {where}: {problem}")


def check_chain(log_path, findings):
    """Walk the log: {seq: hash}, and the latest `after` of every resource ({(type, id): (seq, after)})."""
    hashes, latest = {}, {}
    expected_seq, expected_prev, broken = 1, GENESIS_HASH, False
    for number, event in read_ndjson(log_path):
        seq = event.get("seq")
        if not broken:
            if seq != expected_seq:
                findings.add(f"event {seq} (line {number})", f"expected event {expected_seq}: events are missing "
                             "or out of order")
                broken = True
            elif event.get("prev_hash") != expected_prev:
                findings.add(f"event {seq}", "prev_hash is not the previous event's hash")
                broken = True
            elif event_hash(event) != event.get("hash"):
                findings.add(f"event {seq}", "its contents do not match its hash: it was edited")
                broken = True
        hashes[seq] = event.get("hash") if not broken else None  # nothing past a break proves anything
        latest[(event.get("resource_type"), event.get("resource_id"))] = (seq, event.get("after"))
        expected_seq, expected_prev = (seq or 0) + 1, event.get("hash")
    return hashes, latest, expected_seq - 1


def check_checkpoints(checkpoints, keys, hashes, last_seq, findings):
    published = {}
    for key in keys:
        raw = base64.b64decode(key["public_key"])
        if hashlib.sha256(raw).hexdigest()[:16] != key["key_id"]:
            findings.add(f"key {key['key_id']}", "its id is not the first 16 hex digits of its SHA-256")
            continue
        published[key["key_id"]] = Ed25519PublicKey.from_public_bytes(raw)
    for checkpoint in checkpoints:
        where = f"checkpoint {checkpoint.get('id')} (seq {checkpoint['seq']})"
        public = published.get(checkpoint["key_id"])
        message = canonical({"head_hash": checkpoint["head_hash"], "key_id": checkpoint["key_id"], "log": LOG_NAME,
                             "seq": checkpoint["seq"], "time": checkpoint["time"]}).encode()
        if public is None:
            findings.add(where, f"signed with key {checkpoint['key_id']}, which the keys file does not list")
            continue
        try:
            public.verify(base64.b64decode(checkpoint["signature"]), message)
        except (InvalidSignature, ValueError):
            findings.add(where, "its signature does not hold")
            continue
        seq = checkpoint["seq"]
        if seq == 0:
            if checkpoint["head_hash"] != GENESIS_HASH:
                findings.add(where, "a checkpoint of the empty log must name the genesis hash")
        elif seq > last_seq:
            findings.add(where, f"the log ends at event {last_seq}: events {last_seq + 1} to {seq} were removed")
        elif hashes.get(seq) is None:
            findings.add(where, f"the log is broken at or before event {seq}")
        elif hashes[seq] != checkpoint["head_hash"]:
            findings.add(where, f"event {seq} hashes to {hashes[seq]}, not the signed head: the log up to it "
                                "was rewritten")


def as_compared(value, key=None):
    """Values as compared: times (keys ending in _at) as aware UTC, whichever way their zone was written."""
    if isinstance(value, dict):
        return {k: as_compared(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [as_compared(v, key) for v in value]
    if isinstance(value, str) and key and key.endswith("_at"):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    return value


def differences(where, given, logged, findings, skip=()):
    """Each field of `given` (from the export) that is not what the log says."""
    given, logged = as_compared(given), as_compared(logged)
    for name, value in given.items():
        if name in skip:
            continue
        if name not in logged:
            findings.add(where, f"the export has {name!r}, which the log never recorded")
        elif value != logged[name]:
            findings.add(where, f"{name}: the export says {json.dumps(value, default=str)}, "
                                f"the log says {json.dumps(logged[name], default=str)}")


def check_claims(claims_path, latest, findings):
    logged_claims = {rid for (kind, rid) in latest if kind == "claim"}
    exported = set()
    for number, line in read_ndjson(claims_path):
        where = f"claim {line.get('id')} (export line {number})"
        exported.add(line.get("id"))
        seq, after = latest.get(("claim", line.get("id")), (None, None))
        if after is None:
            findings.add(where, "the log has no event for this claim")
            continue
        speaker = line.get("speaker")
        if (speaker or {}).get("id") != after.get("speaker_id"):
            findings.add(where, f"speaker: the export names {(speaker or {}).get('id')}, the log "
                                f"{after.get('speaker_id')} (event {seq})")
        if line.get("external_id") != (after.get("external_id") or after.get("id")):
            findings.add(where, f"external_id: the export says {line.get('external_id')!r}, the log "
                                f"{after.get('external_id')!r} (event {seq})")
        differences(f"{where}, against event {seq}", line, after, findings,
                    skip=("speaker", "external_id", "reviews", "sources"))
        if speaker:
            speaker_seq, speaker_after = latest.get(("speaker", speaker["id"]), (None, None))
            if speaker_after is None:
                findings.add(where, f"the log has no event for its speaker {speaker['id']}")
            else:
                differences(f"{where}, its speaker against event {speaker_seq}", speaker, speaker_after, findings)
        for review in line.get("reviews", []):
            review_seq, review_after = latest.get(("review", review.get("id")), (None, None))
            if review_after is None:
                findings.add(where, f"the log has no event for its review {review.get('id')}")
            else:
                differences(f"{where}, review {review.get('id')} against event {review_seq}", review, review_after,
                            findings)
        for source in line.get("sources", []):
            source_seq, source_after = latest.get(("source", source.get("id")), (None, None))
            if source_after is None:
                findings.add(where, f"the log has no event for its source {source.get('id')}")
                continue
            text_hash = hashlib.sha256(source.get("text", "").encode("utf-8")).hexdigest()
            if text_hash != source_after.get("sha256"):
                findings.add(where, f"source {source.get('id')}: its text is not the text the log pinned "
                                    f"(event {source_seq})")
            differences(f"{where}, source {source.get('id')} against event {source_seq}", source, source_after,
                        findings, skip=("text", "sentences"))
    for missing in sorted(logged_claims - exported):
        findings.add(f"claim {missing}", "the log records it, the export leaves it out")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True, help="NDJSON of GET /audit/export")
    parser.add_argument("--checkpoints", help="checkpoints you kept (JSON or NDJSON)")
    parser.add_argument("--keys", help="GET /audit/keys (needed with --checkpoints)")
    parser.add_argument("--claims", help="NDJSON of GET /export, to check against the log")
    args = parser.parse_args(argv)
    if args.checkpoints and not args.keys:
        parser.error("--checkpoints needs --keys")
    findings = Findings()
    hashes, latest, last_seq = check_chain(args.log, findings)
    print(f"log: {last_seq} events read")
    if args.checkpoints:
        checkpoints = read_json_items(args.checkpoints)
        check_checkpoints(checkpoints, read_json_items(args.keys), hashes, last_seq, findings)
        print(f"checkpoints: {len(checkpoints)} checked")
    if args.claims:
        check_claims(args.claims, latest, findings)
        print("claims: checked against the log")
    if findings.problems:
        print(f"NOT VERIFIED: {len(findings.problems)} problems")
        return 1
    print("VERIFIED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
