"""Full-text search structures (service/search.py): an FTS5 table on SQLite; on PostgreSQL a table of
weighted tsvectors with a GIN index. Existing claims are indexed here too.

The statements are copied, not imported, so that this migration stays as it was released.
"""
import peewee as pw

SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_fts USING fts5(text, quotes, tokenize = 'porter unicode61')",
    "INSERT INTO claim_fts (rowid, text, quotes) SELECT c.id, c.text, COALESCE((SELECT group_concat(s.text, char(10))"
    " FROM appearance a JOIN sentence s ON s.id = a.sentence_id WHERE a.claim_id = c.id), '') FROM claim c",
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS claim_search (claim_id integer PRIMARY KEY REFERENCES claim (id),"
    " body text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS claim_search_document ON claim_search USING GIN (document)",
    "INSERT INTO claim_search (claim_id, body, document) SELECT c.id, c.text || chr(10) || q.quotes,"
    " setweight(to_tsvector('english', c.text), 'A') || setweight(to_tsvector('english', q.quotes), 'B')"
    " FROM claim c CROSS JOIN LATERAL (SELECT COALESCE(string_agg(s.text, chr(10)), '') AS quotes"
    " FROM appearance a JOIN sentence s ON s.id = a.sentence_id WHERE a.claim_id = c.id) q",
)


def migrate(migrator, database, *, fake=False):
    backend = getattr(database, "obj", database)  # the app hands over its DatabaseProxy
    for statement in POSTGRES if isinstance(backend, pw.PostgresqlDatabase) else SQLITE:
        migrator.sql(statement)
