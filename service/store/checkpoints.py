"""Checkpoints of the audit log: the signing key, when one is made, and how they are kept and listed.

`after_append` runs in the one place events are appended (audit.record_many), inside the write's
transaction: a checkpoint is signed there when the append crosses a multiple of `every_events`, or when
the newest checkpoint this process knows of is older than `every_minutes`. Anything else costs two
comparisons. An admin (POST /audit/checkpoints) or the CLI (`flask audit checkpoint`) makes one at once.
"""
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from peewee import SqliteDatabase

from ..clock import utcnow
from ..rules import checkpoints as rules
from .db import create, database
from .models import AuditEvent, Checkpoint, CheckpointKey
from .paging import page

log = logging.getLogger(__name__)
KEY_FILE_NAME = "checkpoint-signing-key.pem"


@dataclass(frozen=True)
class Signer:
    private_key: object
    public_key: str
    key_id: str

    @classmethod
    def of(cls, private_key):
        public = rules.public_key_text(private_key)
        return cls(private_key, public, rules.key_id(public))


@dataclass(frozen=True)
class Schedule:
    every_events: int = 1000
    every_minutes: float = 60


_signer = None
_schedule = Schedule()
_newest_known = None  # the time of the newest checkpoint this process has seen or made
_published = set()  # key ids this process has seen stored


def use(signer, schedule):
    """The signer (None: no checkpoints are made) and schedule, as the app factory configures them."""
    global _signer, _schedule, _newest_known
    _signer, _schedule, _newest_known = signer, schedule, None
    _published.clear()


def current_signer():
    return _signer


def load_signer(key_text=None, key_file=None):
    """The signer from CHECKPOINT_KEY, else from CHECKPOINT_KEY_FILE, else from a key file beside the
    SQLite database; a key file that does not exist yet is made (mode 0600). None on PostgreSQL with
    neither set: every host must sign with the same key, which only configuration can give them."""
    if key_text:
        signer = Signer.of(rules.load_private_key(key_text))
        log.info("audit checkpoints are signed with key %s (from CHECKPOINT_KEY)", signer.key_id)
        return signer
    path = key_file or _beside_sqlite()
    if path is None:
        log.warning("no checkpoint signing key: set CHECKPOINT_KEY or CHECKPOINT_KEY_FILE; "
                    "until then no audit checkpoints are made")
        return None
    if path == ":memory:":
        signer = Signer.of(rules.new_private_key())
        log.warning("audit checkpoints are signed with key %s, made for this in-memory database only",
                    signer.key_id)
        return signer
    if not os.path.exists(path) and _write_new_key(path):
        signer = Signer.of(_read_key(path))
        log.warning("GENERATED a new audit checkpoint signing key %s in %s: keep the file secret and back it "
                    "up; its public key is published at GET /audit/keys", signer.key_id, path)
        return signer
    signer = Signer.of(_read_key(path))
    log.info("audit checkpoints are signed with key %s (from %s)", signer.key_id, path)
    return signer


def _beside_sqlite():
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    if db.database == ":memory:":
        return ":memory:"
    return os.path.join(os.path.dirname(os.path.abspath(db.database)), KEY_FILE_NAME)


def _read_key(path):
    with open(path, encoding="ascii") as file:
        return rules.load_private_key(file.read())


def _write_new_key(path):
    """Write a new key to `path` unless another process just did: False then. Written whole to a
    temporary file first and linked into place, so no process ever reads half a key."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".new-key-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(rules.private_key_pem(rules.new_private_key()))
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)


def after_append(first_seq, last_seq, last_hash):
    """Inside the write transaction that appended events first_seq..last_seq: sign a checkpoint if due."""
    global _newest_known
    if _signer is None:
        return
    every = _schedule.every_events
    if every and (first_seq - 1) // every != last_seq // every:
        _insert(last_seq, last_hash)
        return
    if not _overdue():
        return
    _newest_known = Checkpoint.select(Checkpoint.at).order_by(Checkpoint.id.desc()).scalar()  # another process's?
    if _overdue():
        _insert(last_seq, last_hash)


def _overdue():
    minutes = _schedule.every_minutes
    return bool(minutes) and (_newest_known is None or utcnow() - _newest_known >= timedelta(minutes=minutes))


def head():
    """(seq, hash) of the newest event; (0, the genesis hash) for an empty log."""
    from .audit import GENESIS_HASH

    newest = (AuditEvent.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
              .limit(1).tuples().first())
    return newest or (0, GENESIS_HASH)


def make_now():
    """A checkpoint of the log as it stands (call inside a write transaction); None without a signer."""
    if _signer is None:
        return None
    return represent(_insert(*head()))


def _insert(seq, head_hash):
    global _newest_known
    if _signer.key_id not in _published:
        if not CheckpointKey.select().where(CheckpointKey.key_id == _signer.key_id).exists():
            create(CheckpointKey, key_id=_signer.key_id, algorithm=rules.ALGORITHM, public_key=_signer.public_key)
        _published.add(_signer.key_id)
    at = utcnow()
    signature = rules.sign(_signer.private_key, seq, head_hash, rules.time_text(at), _signer.key_id)
    checkpoint = create(Checkpoint, seq=seq, head_hash=head_hash, at=at, key_id=_signer.key_id,
                        signature=signature)
    _newest_known = at
    return checkpoint


def represent(checkpoint):
    return {"id": checkpoint.id, "seq": checkpoint.seq, "head_hash": checkpoint.head_hash,
            "time": rules.time_text(checkpoint.at), "key_id": checkpoint.key_id, "signature": checkpoint.signature}


def list_checkpoints(*, limit, cursor=None):
    rows, next_cursor = page(Checkpoint.select(), Checkpoint.id, limit, cursor)
    return [represent(row) for row in rows], next_cursor


def latest():
    newest = Checkpoint.select().order_by(Checkpoint.id.desc()).first()
    return represent(newest) if newest else None


def all_checkpoints():
    return [represent(row) for row in Checkpoint.select().order_by(Checkpoint.id)]


def public_keys():
    """Every key checkpoints were ever signed with, oldest first; `current` marks the one signing now."""
    signing = _signer.key_id if _signer else None
    return [{"key_id": k.key_id, "algorithm": k.algorithm, "public_key": k.public_key, "created_at": k.created_at,
             "current": k.key_id == signing} for k in CheckpointKey.select().order_by(CheckpointKey.id)]
