"""Throwaway PostgreSQL schemas, for fixtures and for tests that need a database of their own."""
import os
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
import pytest

PG_URL = os.environ.get("TEST_DATABASE_URL")


@contextmanager
def pg_schema():
    """A new schema in the test database, named by the URL's search_path, dropped afterwards."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL runs skipped")
    schema = f"ct_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
