"""Signed checkpoints of the audit log: what is signed, how, and how a signature is checked.

A checkpoint says "the log had `seq` events, the last of which hashes to `head_hash`, at `time`", signed
with an Ed25519 key. Whoever keeps one can later prove that nothing at or before `seq` was edited,
inserted or removed, without trusting the service. docs/audit.md describes the format; docs/verify.py
checks it with nothing of this service.
"""
import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"
LOG_NAME = "claimtrail-audit"  # signed too, so a signature over another kind of message never passes for one


class BadKey(ValueError):
    pass


def new_private_key():
    return Ed25519PrivateKey.generate()


def private_key_pem(private_key):
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def load_private_key(text):
    """A key as PEM (PKCS#8) or as the base64 of its 32-byte seed."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as bad:
        raise BadKey(f"not an Ed25519 private key: {bad}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKey("the checkpoint key must be an Ed25519 key")
    return key


def public_key_text(private_key):
    """The public key as the base64 of its 32 raw bytes: how it is published."""
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id(public_key_b64):
    """A public key's id: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def time_text(at):
    """A checkpoint's time (naive UTC) as it is signed and published: to the microsecond, with its zone."""
    return at.isoformat(timespec="microseconds") + "+00:00"


def signed_bytes(seq, head_hash, time, key):
    """The exact bytes a checkpoint's signature covers: canonical JSON, keys sorted, no spaces."""
    message = {"head_hash": head_hash, "key_id": key, "log": LOG_NAME, "seq": seq, "time": time}
    return json.dumps(message, sort_keys=True, separators=(",", ":")).encode()


def sign(private_key, seq, head_hash, time, key):
    return base64.b64encode(private_key.sign(signed_bytes(seq, head_hash, time, key))).decode()


def signature_holds(checkpoint, public_key_b64):
    """Whether `checkpoint` (a dict as published) was signed by the key `public_key_b64`."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        public.verify(base64.b64decode(checkpoint["signature"]),
                      signed_bytes(checkpoint["seq"], checkpoint["head_hash"], checkpoint["time"],
                                   checkpoint["key_id"]))
    except (InvalidSignature, ValueError, TypeError, KeyError):
        return False
    return True


def version_step_problem(resource_type, action, before, after):
    """Why an event's version move breaks the rule, or None. A create starts a claim or speaker at 1 and
    every change moves it on by exactly one; an import carries the version the line gave, which only
    has to be newer than the stored one."""
    if resource_type not in ("claim", "speaker") or after is None:
        return None
    was, now = (before or {}).get("version", 0), after.get("version")
    if action == "import":
        return None if isinstance(now, int) and now > was else f"an import moves the version from {was} to {now}"
    return None if now == was + 1 else f"a {action} moves the version from {was} to {now}, not {was + 1}"


def held_checkpoints(text):
    """Checkpoints as a client kept them: one checkpoint, a list of them, a page of GET /audit/checkpoints
    ({"items": [...]}), or NDJSON of them."""
    try:
        found = json.loads(text)
    except ValueError:
        found = [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(found, dict):
        found = found["items"] if "items" in found else [found]
    return found
