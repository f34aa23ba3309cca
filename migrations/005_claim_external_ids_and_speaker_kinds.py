"""Claims get an optional unique external_id (bulk import matches claims by it); speakers a kind, person
or organization (how ClaimReview names a claim's author), and a region.

Written by hand from service/models.py as it stood. Frozen once released: later changes go in new files.
"""
import peewee as pw


def migrate(migrator, database, *, fake=False):
    migrator.add_fields(migrator.orm["claim"], external_id=pw.CharField(max_length=200, null=True, unique=True))
    migrator.add_fields(
        migrator.orm["speaker"],
        kind=pw.CharField(max_length=16, default="person"),  # the default fills the speakers already stored
        region=pw.TextField(null=True),
    )
