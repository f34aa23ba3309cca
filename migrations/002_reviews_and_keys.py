"""Reviews with their evidence, and API keys (stored as hashes).

Written by hand from service/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    Claim = migrator.orm["claim"]
    Sentence = migrator.orm["sentence"]

    @migrator.create_model
    class Review(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        claim = pw.ForeignKeyField(Claim, on_delete="RESTRICT")
        status = pw.CharField(max_length=32)
        verdict = pw.CharField(max_length=32, null=True)
        rationale = pw.TextField(null=True)
        reviewer = pw.TextField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "review"
            indexes = ((("claim", "id"), False),)

    @migrator.create_model
    class Evidence(pw.Model):
        id = pw.AutoField()
        review = pw.ForeignKeyField(Review, on_delete="RESTRICT")
        stance = pw.CharField(max_length=16)
        url = pw.TextField(null=True)
        sentence = pw.ForeignKeyField(Sentence, null=True, on_delete="RESTRICT")
        note = pw.TextField(null=True)

        class Meta:
            table_name = "evidence"

    @migrator.create_model
    class ApiKey(pw.Model):
        id = pw.AutoField()
        uid = pw.CharField(max_length=36, unique=True)
        owner = pw.TextField()
        role = pw.CharField(max_length=16)
        prefix = pw.CharField(max_length=16)
        key_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()
        revoked_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "api_key"
