"""Candidate claims that extraction proposes from a source, for a checker to accept or reject, and a record
of which sources extraction has run over.

Written by hand from service/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    Source = migrator.orm["source"]
    Speaker = migrator.orm["speaker"]
    Claim = migrator.orm["claim"]

    @migrator.create_model
    class Candidate(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        source = pw.ForeignKeyField(Source, on_delete="RESTRICT")
        sentence_index = pw.IntegerField()
        text = pw.TextField()
        text_sha256 = pw.CharField(max_length=64)
        speaker_name = pw.TextField(null=True)
        speaker_role = pw.TextField(null=True)
        speaker_kind = pw.CharField(max_length=16)
        speaker_how = pw.CharField(max_length=16)
        speaker_confidence = pw.DoubleField()
        speaker = pw.ForeignKeyField(Speaker, null=True, on_delete="RESTRICT")
        exact = pw.TextField()
        prefix = pw.TextField()
        suffix = pw.TextField()
        start = pw.IntegerField()
        end = pw.IntegerField()
        check_worthiness = pw.DoubleField()
        signals = pw.JSONField()
        kind = pw.CharField(max_length=16)
        likely_duplicates = pw.JSONField()
        status = pw.CharField(max_length=16)
        reason = pw.CharField(max_length=32, null=True)
        note = pw.TextField(null=True)
        duplicate_of = pw.ForeignKeyField(Claim, null=True, on_delete="RESTRICT")
        claim = pw.ForeignKeyField(Claim, null=True, on_delete="RESTRICT")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        version = pw.IntegerField()

        class Meta:
            table_name = "candidate"
            indexes = (
                (("source", "sentence_index", "start", "end", "text_sha256"), True),
                (("source", "id"), False),
                (("status", "id"), False),
            )

    @migrator.create_model
    class Extraction(pw.Model):
        id = pw.AutoField()
        source = pw.ForeignKeyField(Source, unique=True, on_delete="RESTRICT")
        candidates = pw.IntegerField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "extraction"
