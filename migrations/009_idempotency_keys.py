"""The first answers to creates sent with an Idempotency-Key header, kept a day to answer their retries.

Written by hand from service/store/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    @migrator.create_model
    class IdempotentRequest(pw.Model):
        id = pw.AutoField()
        caller = pw.CharField(max_length=36)
        key = pw.CharField(max_length=255)
        fingerprint = pw.CharField(max_length=64)
        status = pw.IntegerField()
        headers = pw.TextField()
        body = pw.TextField()
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "idempotent_request"
            indexes = ((("caller", "key"), True),)
