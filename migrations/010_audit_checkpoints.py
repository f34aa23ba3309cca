"""Signed checkpoints of the audit log, and every public key they were signed with.

Written by hand from service/store/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    @migrator.create_model
    class CheckpointKey(pw.Model):
        id = pw.AutoField()
        key_id = pw.CharField(max_length=16, unique=True)
        algorithm = pw.CharField(max_length=16)
        public_key = pw.CharField(max_length=64)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "checkpoint_key"

    @migrator.create_model
    class Checkpoint(pw.Model):
        id = pw.AutoField()
        seq = pw.BigIntegerField(index=True)
        head_hash = pw.CharField(max_length=64)
        at = pw.DateTimeField()
        key_id = pw.CharField(max_length=16)
        signature = pw.CharField(max_length=100)

        class Meta:
            table_name = "checkpoint"
