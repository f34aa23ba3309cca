"""Speakers found to be the same can be merged: the merged one points at the one that remains.

Written by hand from service/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    Speaker = migrator.orm["speaker"]
    migrator.add_fields(
        Speaker, merged_into=pw.ForeignKeyField(Speaker, null=True, field="id", on_delete="RESTRICT")
    )
