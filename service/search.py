"""Full-text search over claims: their own words and the sentences they are quoted from.

SQLite: an FTS5 table `claim_fts` (rowid = claim id, porter stemming), ranked by bm25.
PostgreSQL: a table `claim_search` holding a weighted tsvector with a GIN index, ranked by ts_rank_cd.
`index_claim` keeps either in step, inside the transaction of every claim write.
A search ranks the newest CANDIDATES matches, not all of them: scoring costs about 10 µs a
match, so a common word at a million claims (thousands of matches) cost more than the rest of the
request, and the cost grew with the database. Newest first is the order a fact-checker would
fall back on anyway; snippets are made for the returned page only.
"""
import html
import re

from . import claim_queries
from .db import database, for_driver, is_postgres
from .errors import Invalid
from .models import Appearance, Sentence
from .pagination import decode_rank_cursor, encode_cursor

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_fts USING fts5(text, quotes, tokenize = 'porter unicode61')",
)
POSTGRES_DDL = (
    "CREATE TABLE IF NOT EXISTS claim_search (claim_id integer PRIMARY KEY REFERENCES claim (id),"
    " body text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS claim_search_document ON claim_search USING GIN (document)",
)
# Private-use characters mark matches inside the raw text, so that the text can be HTML-escaped
# before the marks become <mark> tags: a snippet is safe to drop into a page.
OPEN, CLOSE = "\ue000", "\ue001"
MAX_TERMS = 32
CANDIDATES = 1000  # the newest matches a search ranks and pages through (claim matching ranks all)


def install():
    """Create the search structures if they are missing (migrations call this)."""
    for statement in POSTGRES_DDL if is_postgres() else SQLITE_DDL:
        database.execute_sql(statement)


def quotes_text(sentence_texts):
    """What the index holds of a claim's quoted sentences: each once, in the order recorded."""
    return "\n".join(dict.fromkeys(sentence_texts))


def _quotes(claim_id):
    rows = (Sentence.select(Sentence.text).join(Appearance, on=(Appearance.sentence == Sentence.id))
            .where(Appearance.claim == claim_id).order_by(Appearance.id))
    return quotes_text(row.text for row in rows)


def index_claim(claim):
    reindex([(claim.id, claim.text, _quotes(claim.id))])


def reindex(entries):
    """Index claims again, from (claim id, claim text, quotes_text) tuples."""
    if not is_postgres():  # PostgreSQL's insert below replaces the row; FTS5 has no such upsert
        database.cursor().executemany("DELETE FROM claim_fts WHERE rowid = ?", [(claim,) for claim, *_ in entries])
    index_new(entries)


def index_new(entries):
    """Index claims not indexed yet, from (claim id, claim text, quotes_text) tuples, in one statement."""
    if is_postgres():
        sql = ("INSERT INTO claim_search (claim_id, body, document) VALUES (%s, %s || chr(10) || %s,"
               " setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B'))"
               " ON CONFLICT (claim_id) DO UPDATE SET body = EXCLUDED.body, document = EXCLUDED.document")
        rows = [(claim_id, text, quotes, text, quotes) for claim_id, text, quotes in entries]
    else:
        sql = "INSERT INTO claim_fts (rowid, text, quotes) VALUES (?, ?, ?)"
        rows = list(entries)
    database.cursor().executemany(sql, rows)


def terms(text):
    return re.findall(r"\w+", text.lower())[:MAX_TERMS]


def _highlight(raw):
    return html.escape(raw or "").replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


def _ranked_ids(words, claims, *, any_term, count, after=None, newest=None):
    """[(claim id, score)] best first (lowest score), at most `count`, among `claims` (a ClaimFilter, or
    None for all); only the `newest` matches if given."""
    search, matched_id = (_postgres, "claim_search.claim_id") if is_postgres() else (_sqlite, "claim_fts.rowid")
    scope_sql, scope_params = "", []
    if claims is not None and claims.conditions:
        # Asked per match (EXISTS, a primary-key probe each), the filters cost what the matches cost.
        # As `id IN (all claims in scope)`, SQLite instead probed the FTS index once per claim in scope:
        # seconds for a search with no filter at 10,000 claims.
        scope_sql = for_driver(f" AND EXISTS (SELECT 1 {claims.sql(f'claim.id = {matched_id}')})")
        scope_params = claims.params
    return search(words, any_term, scope_sql, scope_params, after, count, newest)


def ranked(q, claims, *, limit, cursor=None):
    """Claims among `claims` (a ClaimFilter) having every word of `q`, best first:
    ([(ClaimRow, snippet)], next_cursor)."""
    words = terms(q)
    if not words:
        raise Invalid("the search has no words in it", errors={"q": ["give at least one word"]}, location="query")
    after = decode_rank_cursor(cursor) if cursor else None
    found = _ranked_ids(words, claims, any_term=False, count=limit + 1, after=after, newest=CANDIDATES)
    more = len(found) > limit
    found = found[:limit]
    snippets = _snippets(words, [claim_id for claim_id, _ in found]) if found else {}
    hits = [(claim, snippets.get(claim.id)) for claim in claim_queries.by_ids([claim_id for claim_id, _ in found])]
    next_cursor = encode_cursor([found[-1][1], found[-1][0]]) if more else None
    return hits, next_cursor


def candidates(text, *, limit):
    """Claims (ClaimRows) sharing any word with `text`, best first: where claim matching starts."""
    words = terms(text)
    found = _ranked_ids(words, None, any_term=True, count=limit) if words else []
    return claim_queries.by_ids([claim_id for claim_id, _ in found])


def _fts_query(words, any_term):
    return (" OR " if any_term else " ").join('"%s"' % w for w in words)


def _ts_query(words, any_term):
    return (" | " if any_term else " & ").join(words)


def _sqlite(words, any_term, scope_sql, scope_params, after, count, newest):
    sql = ("SELECT rowid, bm25(claim_fts, 10.0, 4.0) AS score FROM claim_fts"
           f" WHERE claim_fts MATCH ?{scope_sql}")
    if newest:
        sql += f" ORDER BY rowid DESC LIMIT {int(newest)}"
    params = [_fts_query(words, any_term), *scope_params]
    sql = f"SELECT rowid, score FROM ({sql})"
    if after:
        sql += " WHERE score > ? OR (score = ? AND rowid > ?)"
        params += [after[0], after[0], after[1]]
    sql += " ORDER BY score, rowid LIMIT ?"
    return [(row[0], row[1]) for row in database.execute_sql(sql, [*params, count])]


def _postgres(words, any_term, scope_sql, scope_params, after, count, newest):
    # simple-dictionary words through to_tsquery('english', ...) get the same stemming as the index
    # float8: ts_rank_cd is a real, whose value would not survive the round trip through the cursor
    sql = ("SELECT claim_id, -ts_rank_cd(document, query)::float8 AS score"
           " FROM claim_search, to_tsquery('english', %s) AS query"
           f" WHERE document @@ query{scope_sql}")
    if newest:
        sql += f" ORDER BY claim_id DESC LIMIT {int(newest)}"
    params = [_ts_query(words, any_term), *scope_params]
    sql = f"SELECT claim_id, score FROM ({sql}) AS hits"
    if after:
        sql += " WHERE (score, claim_id) > (%s, %s)"
        params += [after[0], after[1]]
    sql += " ORDER BY score, claim_id LIMIT %s"
    return [(row[0], float(row[1])) for row in database.execute_sql(sql, [*params, count])]


def _snippets(words, claim_ids):
    marks = ", ".join([database.param] * len(claim_ids))
    if is_postgres():
        sql = ("SELECT claim_id, ts_headline('english', body, to_tsquery('english', %s),"
               " %s) FROM claim_search"
               f" WHERE claim_id IN ({marks})")
        options = f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=24, MinWords=8, MaxFragments=2"
        params = [_ts_query(words, False), options, *claim_ids]
    else:
        # FTS5 takes one rowid constraint: given the IN list it matched the query once per id (6 ms for
        # a page at a million claims); given the page's range it reads only the matches within it.
        # The + keeps the IN list from being offered to FTS5, so SQLite applies it to what comes back.
        sql = (f"SELECT rowid, snippet(claim_fts, -1, ?, ?, '…', 16) FROM claim_fts"
               f" WHERE claim_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})")
        params = [OPEN, CLOSE, _fts_query(words, False), min(claim_ids), max(claim_ids), *claim_ids]
    return {row[0]: _highlight(row[1]) for row in database.execute_sql(sql, params)}
