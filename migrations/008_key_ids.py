"""API keys lose `prefix`, which held the secret's first characters: the key's random uid identifies it.
Audit events gain `actor_key_id`, the uid of the key that made the change.

Written by hand from service/store/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    migrator.remove_fields(migrator.orm["api_key"], "prefix")
    migrator.add_fields(migrator.orm["audit_event"], actor_key_id=pw.CharField(max_length=36, null=True))
