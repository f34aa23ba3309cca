"""The first schema: sources and their sentences, speakers, claims with their tags and appearances,
and the audit log.

Written by hand from service/models.py as it stood. A migration is frozen once released: later
changes go in new files. Defaults stay out: the models fill them in Python, never the database.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    @migrator.create_model
    class Source(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        title = pw.TextField()
        url = pw.TextField(null=True)
        publisher = pw.TextField(null=True)
        published_date = pw.DateField(null=True)
        language = pw.CharField(max_length=8)
        text = pw.TextField()
        sha256 = pw.CharField(max_length=64, index=True)
        sentence_count = pw.IntegerField()
        created_at = pw.DateTimeField()
        version = pw.IntegerField()

        class Meta:
            table_name = "source"

    @migrator.create_model
    class Sentence(pw.Model):
        id = pw.AutoField()
        source = pw.ForeignKeyField(Source, on_delete="RESTRICT")
        index = pw.IntegerField()
        start = pw.IntegerField()
        end = pw.IntegerField()
        text = pw.TextField()

        class Meta:
            table_name = "sentence"
            indexes = ((("source", "index"), True),)

    @migrator.create_model
    class Speaker(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        name = pw.TextField(index=True)
        aliases = pw.JSONField()
        role = pw.TextField(null=True)
        affiliation = pw.TextField(null=True)
        external_id = pw.CharField(max_length=200, null=True, index=True)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        version = pw.IntegerField()

        class Meta:
            table_name = "speaker"

    @migrator.create_model
    class Claim(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        text = pw.TextField()
        speaker = pw.ForeignKeyField(Speaker, null=True, on_delete="RESTRICT")
        claim_date = pw.DateField(null=True)
        status = pw.CharField(max_length=32)
        tags = pw.JSONField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField(index=True)
        version = pw.IntegerField()

        class Meta:
            table_name = "claim"
            indexes = ((("status", "id"), False), (("speaker", "id"), False))

    @migrator.create_model
    class ClaimTag(pw.Model):
        id = pw.AutoField()
        claim = pw.ForeignKeyField(Claim, on_delete="RESTRICT")
        tag = pw.CharField(max_length=100)

        class Meta:
            table_name = "claim_tag"
            indexes = ((("tag", "claim"), True),)

    @migrator.create_model
    class Appearance(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        claim = pw.ForeignKeyField(Claim, on_delete="RESTRICT")
        source = pw.ForeignKeyField(Source, on_delete="RESTRICT")
        sentence = pw.ForeignKeyField(Sentence, on_delete="RESTRICT")
        exact = pw.TextField()
        prefix = pw.TextField()
        suffix = pw.TextField()
        start = pw.IntegerField()
        end = pw.IntegerField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "appearance"
            indexes = ((("source", "claim"), False),)

    @migrator.create_model
    class AuditEvent(pw.Model):
        id = pw.AutoField()
        seq = pw.BigIntegerField(unique=True)
        resource_type = pw.CharField(max_length=32)
        resource_id = pw.CharField(max_length=36)
        action = pw.CharField(max_length=32)
        actor = pw.TextField()
        at = pw.DateTimeField()
        before = pw.JSONField(null=True)
        after = pw.JSONField(null=True)
        reason = pw.TextField(null=True)
        request_id = pw.CharField(max_length=200, null=True)
        prev_hash = pw.CharField(max_length=64)
        hash = pw.CharField(max_length=64, unique=True)

        class Meta:
            table_name = "audit_event"
            indexes = ((("resource_type", "resource_id", "seq"), False),)
