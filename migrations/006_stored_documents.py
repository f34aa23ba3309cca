"""Claims and speakers keep their representation (what the API answers) as a JSON document in their row,
written by the write path with each change; the stored rows get theirs here.

Written by hand from service/store/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def _fill_documents():
    from service.store.migrations import refresh_documents  # the one definition of a document

    refresh_documents()


def migrate(migrator, database, *, fake=False):
    migrator.add_fields(migrator.orm["speaker"], document=pw.TextField(default=""))
    migrator.add_fields(migrator.orm["claim"], document=pw.TextField(default=""))
    migrator.run(_fill_documents)
