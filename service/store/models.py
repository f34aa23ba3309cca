"""peewee models: the whole schema in one place.

Rows carry an integer primary key for joins and keyset pagination, and a UUID `uid` that is the
only identifier the API shows. Times are naive UTC (see service/clock.py).
"""
import json
import uuid
from functools import partial

from peewee import (
    AutoField,
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    JSONField,
    Model,
    TextField,
)

from ..clock import time_as_text, utcnow
from .db import database


def new_uid():
    return str(uuid.uuid4())


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False


class Source(BaseModel):
    uid = CharField(max_length=36, unique=True, default=new_uid)
    title = TextField()
    url = TextField(null=True)
    publisher = TextField(null=True)
    published_date = DateField(null=True)
    language = CharField(max_length=8, default="en")
    text = TextField()
    sha256 = CharField(max_length=64, index=True)
    sentence_count = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)


class Sentence(BaseModel):
    source = ForeignKeyField(Source, backref="sentences", on_delete="RESTRICT")
    index = IntegerField()
    start = IntegerField()
    end = IntegerField()
    text = TextField()

    class Meta:
        indexes = ((("source", "index"), True),)


class Speaker(BaseModel):
    uid = CharField(max_length=36, unique=True, default=new_uid)
    name = TextField(index=True)
    aliases = JSONField(default=list)
    kind = CharField(max_length=16, default="person")  # person or organization (schema.org's two author types)
    role = TextField(null=True)
    affiliation = TextField(null=True)
    region = TextField(null=True)
    external_id = CharField(max_length=200, null=True, index=True)
    # Set when this speaker was found to be the same as another: kept, never removed.
    merged_into = ForeignKeyField("self", null=True, backref="merged", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)
    document = TextField(default="")  # what GET /speakers/{id} answers, as JSON (service/rules/documents.py)


class Claim(BaseModel):
    uid = CharField(max_length=36, unique=True, default=new_uid)
    # The claim's identity outside this service (e.g. liar:2635); bulk import is idempotent by it.
    external_id = CharField(max_length=200, null=True, unique=True)
    text = TextField()
    speaker = ForeignKeyField(Speaker, null=True, backref="claims", on_delete="RESTRICT")
    claim_date = DateField(null=True)
    status = CharField(max_length=32, default="unverified")
    tags = JSONField(default=list)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)
    version = IntegerField(default=1)
    # What GET /claims/{id} answers, as JSON, but for the speaker (service/rules/documents.py)
    document = TextField(default="")

    class Meta:
        indexes = ((("status", "id"), False), (("speaker", "id"), False))


class ClaimTag(BaseModel):
    """Tags again, one row each, so that filtering by tag uses an index on both databases."""

    claim = ForeignKeyField(Claim, backref="tag_rows", on_delete="RESTRICT")
    tag = CharField(max_length=100)

    class Meta:
        indexes = ((("tag", "claim"), True),)


class Appearance(BaseModel):
    """Where a claim appears: a W3C TextQuoteSelector and TextPositionSelector into a source."""

    uid = CharField(max_length=36, unique=True, default=new_uid)
    claim = ForeignKeyField(Claim, backref="appearances", on_delete="RESTRICT")
    source = ForeignKeyField(Source, backref="appearances", on_delete="RESTRICT")
    sentence = ForeignKeyField(Sentence, backref="appearances", on_delete="RESTRICT")
    exact = TextField()
    prefix = TextField()
    suffix = TextField()
    start = IntegerField()
    end = IntegerField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("source", "claim"), False),)


class Review(BaseModel):
    """A fact-checker's review of a claim; the claim's status follows its latest review."""

    uid = CharField(max_length=36, unique=True, default=new_uid)
    claim = ForeignKeyField(Claim, backref="reviews", on_delete="RESTRICT")
    status = CharField(max_length=32)  # the status the review moved the claim to
    verdict = CharField(max_length=32, null=True)
    rationale = TextField(null=True)
    reviewer = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("claim", "id"), False),)


class Evidence(BaseModel):
    """One item a review rests on: a URL, or a sentence of a stored source."""

    review = ForeignKeyField(Review, backref="evidence", on_delete="RESTRICT")
    stance = CharField(max_length=16)
    url = TextField(null=True)
    sentence = ForeignKeyField(Sentence, null=True, on_delete="RESTRICT")
    note = TextField(null=True)


class ApiKey(BaseModel):
    """A key is shown once when made; only its SHA-256 is kept. Its uid, random and no part of the secret,
    is what identifies it anywhere else (the API, the audit log's actor_key_id)."""

    uid = CharField(max_length=36, unique=True, default=new_uid)
    owner = TextField()
    role = CharField(max_length=16)
    key_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)


class IdempotentRequest(BaseModel):
    """The first answer to a create sent with an Idempotency-Key header, kept to answer its retries with
    (service/store/idempotency.py). Written in the transaction of the write it answers."""

    caller = CharField(max_length=36)  # the API key's uid: a key is one caller's, as in Stripe's API
    key = CharField(max_length=255)
    fingerprint = CharField(max_length=64)  # SHA-256 of the method, path and body it was first sent with
    status = IntegerField()
    headers = TextField()  # JSON: the answer's ETag, Location and Content-Type
    body = TextField()
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("caller", "key"), True),)


class AppendOnly(Exception):
    pass


class AuditEvent(BaseModel):
    """One change to one resource. Rows are only ever inserted; each links to the previous by hash.

    The model refuses updates and deletes, so no code path through peewee can rewrite history; the
    hash chain (service/store/audit.py) catches anyone who does it in the database directly.
    """

    seq = BigIntegerField(unique=True)
    resource_type = CharField(max_length=32)
    resource_id = CharField(max_length=36)
    action = CharField(max_length=32)
    actor = TextField()
    # The API key that made the change (its uid); None from the command line and seeds, and in older events.
    actor_key_id = CharField(max_length=36, null=True)
    at = DateTimeField()
    # Snapshots hold dates and times; they are stored as ISO text (and hashed so, see service/store/audit.py).
    before = JSONField(null=True, dumps=partial(json.dumps, default=time_as_text))
    after = JSONField(null=True, dumps=partial(json.dumps, default=time_as_text))
    reason = TextField(null=True)
    request_id = CharField(max_length=200, null=True)
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64, unique=True)

    class Meta:
        indexes = ((("resource_type", "resource_id", "seq"), False),)

    def save(self, force_insert=False, only=None):
        if not force_insert:
            raise AppendOnly("audit events are only ever inserted")
        return super().save(force_insert=True, only=only)

    def delete_instance(self, *args, **kwargs):
        raise AppendOnly("audit events are never deleted")

    @classmethod
    def update(cls, *args, **kwargs):
        raise AppendOnly("audit events are never updated")

    @classmethod
    def delete(cls):
        raise AppendOnly("audit events are never deleted")


class Candidate(BaseModel):
    """A claim extraction proposed from a source (service/actions/candidates.py): a checker accepts it, which makes
    the claim, or rejects it with a reason. The proposal's own fields never change after it is stored."""

    uid = CharField(max_length=36, unique=True, default=new_uid)
    source = ForeignKeyField(Source, backref="candidates", on_delete="RESTRICT")
    sentence_index = IntegerField()
    text = TextField()
    # sha256 of the text: with the source and the quote's offsets, what makes a proposal the same one again
    text_sha256 = CharField(max_length=64)
    speaker_name = TextField(null=True)  # null: a pronoun without an antecedent, for the checker to name
    speaker_role = TextField(null=True)
    speaker_kind = CharField(max_length=16, default="person")
    speaker_how = CharField(max_length=16)
    speaker_confidence = DoubleField()
    speaker = ForeignKeyField(Speaker, null=True, backref="candidates", on_delete="RESTRICT")  # a stored match
    exact = TextField()
    prefix = TextField()
    suffix = TextField()
    start = IntegerField()
    end = IntegerField()
    check_worthiness = DoubleField()  # double: PostgreSQL's real would not equal the scores given
    signals = JSONField(default=dict)
    kind = CharField(max_length=16)
    likely_duplicates = JSONField(default=list)  # [{"id": claim uid, "score": 0..1}] found when proposed
    status = CharField(max_length=16, default="proposed")
    reason = CharField(max_length=32, null=True)  # why it was rejected
    note = TextField(null=True)
    duplicate_of = ForeignKeyField(Claim, null=True, backref="duplicate_candidates", on_delete="RESTRICT")
    claim = ForeignKeyField(Claim, null=True, backref="candidates", on_delete="RESTRICT")  # made on acceptance
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("source", "sentence_index", "start", "end", "text_sha256"), True),
            (("source", "id"), False),
            (("status", "id"), False),
        )


class Extraction(BaseModel):
    """That extraction ran over a source, and what it found: how `flask extract` resumes."""

    source = ForeignKeyField(Source, unique=True, backref="extractions", on_delete="RESTRICT")
    candidates = IntegerField()  # proposed by the latest run, new or already stored
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class CheckpointKey(BaseModel):
    """A public key checkpoints were signed with; kept after the signing key changes, so old ones stay checkable."""

    key_id = CharField(max_length=16, unique=True)
    algorithm = CharField(max_length=16)
    public_key = CharField(max_length=64)  # base64 of the raw key
    created_at = DateTimeField(default=utcnow)


class Checkpoint(BaseModel):
    """A signed statement of the audit log's head (service/rules/checkpoints.py); only ever inserted."""

    seq = BigIntegerField(index=True)  # events in the log then (0: none yet)
    head_hash = CharField(max_length=64)
    at = DateTimeField()
    key_id = CharField(max_length=16)
    signature = CharField(max_length=100)  # base64 of the Ed25519 signature

    def save(self, force_insert=False, only=None):
        if not force_insert:
            raise AppendOnly("checkpoints are only ever inserted")
        return super().save(force_insert=True, only=only)

    def delete_instance(self, *args, **kwargs):
        raise AppendOnly("checkpoints are never deleted")

    @classmethod
    def update(cls, *args, **kwargs):
        raise AppendOnly("checkpoints are never updated")

    @classmethod
    def delete(cls):
        raise AppendOnly("checkpoints are never deleted")


MODELS = [Source, Sentence, Speaker, Claim, ClaimTag, Appearance, Review, Evidence, ApiKey, AuditEvent, Candidate,
          Extraction, IdempotentRequest, CheckpointKey, Checkpoint]
