"""Full-text search over claims: their own words and the sentences they are quoted from.

SQLite: an FTS5 table `claim_fts` (rowid = claim id, porter stemming).
PostgreSQL: a table `claim_search` holding a weighted tsvector with a GIN index.
`index_new` and `reindex` keep either in step, inside the transaction of every claim write.
A search ranks the newest CANDIDATES matches by where the words stand (see `_search`), the same way on
both databases, and older matches follow newest first, so a page's cost does not grow with the
database and every match can be paged to. Snippets are made for the returned page only.
"""
import html
import re

from peewee import SQL

from .db import database, for_driver, is_postgres, write_transaction
from ..errors import Invalid
from ..rules.matching import CANDIDATES as MATCH_CANDIDATES
from ..rules.matching import STOPWORDS, similarity
from .models import Appearance, Claim, Sentence
from .paging import decode_rank_cursor, encode_cursor

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
CANDIDATES = 100  # the newest matches a search ranks; older ones follow, newest first
OLDER = 3  # the rank of a match older than those
COMMON = 1000  # claim matching asks for the words that no more claims than this hold (see candidates)
RECENT = 100_000  # and for claims holding every other word, among this many newest claims


def install():
    """Create the search structures if they are missing (migrations call this)."""
    for statement in POSTGRES_DDL if is_postgres() else SQLITE_DDL:
        database.execute_sql(statement)


def segments():
    """How many b-trees SQLite's search index is in (each search reads every one); 1 on PostgreSQL."""
    if is_postgres():
        return 1
    return database.execute_sql("SELECT count(DISTINCT segid) FROM claim_fts_idx").fetchone()[0]


def optimize():
    """Merge SQLite's search index into one b-tree.

    FTS5 adds a b-tree (segment) at every commit and merges them only in part as it goes, so a
    database built by many commits holds a dozen, and a search reads every one of them. PostgreSQL's
    GIN index needs nothing like it.
    """
    if is_postgres():
        return
    with write_transaction():
        database.execute_sql("INSERT INTO claim_fts (claim_fts) VALUES ('optimize')")


def quotes_text(sentence_texts):
    """What the index holds of a claim's quoted sentences: each once, in the order recorded."""
    return "\n".join(dict.fromkeys(sentence_texts))


def quotes_of(claim_id):
    """What the index holds of the stored claim's quoted sentences."""
    rows = (Sentence.select(Sentence.text).join(Appearance, on=(Appearance.sentence == Sentence.id))
            .where(Appearance.claim == claim_id).order_by(Appearance.id))
    return quotes_text(row.text for row in rows)


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


def ranked(q, scope, *, limit, cursor=None):
    """Claims among `scope` (a query of claim ids; None for all) having every word of `q`, best first:
    ([(claim id, snippet)], next_cursor)."""
    words = terms(q)
    if not words:
        raise Invalid("the search has no words in it", errors={"q": ["give at least one word"]}, location="query")
    after = decode_rank_cursor(cursor) if cursor else None
    found = _search(_Matches(words, scope), after, limit + 1)
    more = len(found) > limit
    found = found[:limit]
    snippets = _snippets(words, [claim_id for claim_id, _ in found]) if found else {}
    hits = [(claim_id, snippets.get(claim_id)) for claim_id, _ in found]
    next_cursor = encode_cursor([found[-1][1], found[-1][0]]) if more else None
    return hits, next_cursor


def _search(matches, after, count):
    """[(claim id, rank)] best first, at most `count`, after the cursor key `after` (rank, id).

    The newest CANDIDATES matches are ranked by where the words stand, never by how common they are:
    0 when the claim's own text holds them as a phrase, 1 when it holds them all, 2 when some are only
    in a quoted sentence. Older matches follow, newest first, as rank OLDER. bm25 weighed each word by
    how many claims in the whole index hold it, and counting them grew with the database before a
    single match was ranked; this way a page reads at most CANDIDATES matches and the page
    itself, whatever the size of the database, and every match can still be reached by paging.
    """
    found = []
    if after is None or after[0] < OLDER:
        found = matches.ranked(after, count)
    if len(found) < count:
        below = after[1] if after and after[0] == OLDER else matches.floor()
        if below is not None:
            found += [(claim_id, OLDER) for claim_id in matches.older(below, count - len(found))]
    return found


class _Matches:
    """The claims holding every word of a search, among `scope` (a query of claim ids, or None for all),
    as SQL for this database: its search table's id column, and FROM ... WHERE ... with its parameters."""

    def __init__(self, words, scope):
        self.words = words
        if is_postgres():
            self.id, self.sql = "claim_search.claim_id", "FROM claim_search WHERE document @@ to_tsquery('english', ?)"
            self.params = [_ts_query(words, False)]
        else:
            self.id, self.sql = "claim_fts.rowid", "FROM claim_fts WHERE claim_fts MATCH ?"
            self.params = [_fts_query(words, False)]
        if scope is not None:
            # Asked per match (EXISTS, a primary-key probe each), the filters cost what the matches cost.
            # As `id IN (all claims in scope)`, SQLite instead probed the FTS index once per claim in
            # scope: seconds for a search with no filter at 10,000 claims.
            exists, params = scope.where(Claim.id == SQL(self.id)).sql()
            self.sql += f" AND EXISTS ({exists})"
            self.params += list(params)

    def _rows(self, sql, params):
        return database.execute_sql(for_driver(sql), params).fetchall()

    def _newest(self, *columns):
        selected = ", ".join([f"{self.id} AS hit", *columns])
        return f"SELECT {selected} {self.sql} ORDER BY {self.id} DESC LIMIT {CANDIDATES}"

    def ranked(self, after, count):
        """The best `count` of the newest CANDIDATES matches after `after`: [(claim id, rank)]."""
        if is_postgres():
            # weight A is the claim's own text (see index_new); simple-dictionary words through
            # to_tsquery('english', ...) get the same stemming as the index
            own = [f"{word}:A" for word in self.words]
            newest = self._newest("document")
            rank = ("CASE WHEN document @@ to_tsquery('english', ?) THEN 0"
                    " WHEN document @@ to_tsquery('english', ?) THEN 1 ELSE 2 END")
            rank_params = [" <-> ".join(own), " & ".join(own)]
        else:
            # Each rank's matches are read only from the newest matches' range of rowids, which FTS5 seeks to.
            newest = self._newest()
            in_range = "SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? AND rowid >= (SELECT min(hit) FROM newest)"
            rank = f"CASE WHEN hit IN ({in_range}) THEN 0 WHEN hit IN ({in_range}) THEN 1 ELSE 2 END"
            rank_params = ['{text} : "%s"' % " ".join(self.words), f"{{text}} : ({_fts_query(self.words, False)})"]
        sql = f"WITH newest AS ({newest}) SELECT hit, {rank} AS rank FROM newest"
        params = [*self.params, *rank_params]
        sql = f"SELECT hit, rank FROM ({sql}) AS ranked"
        if after:
            sql += " WHERE rank > ? OR (rank = ? AND hit < ?)"
            params += [after[0], after[0], after[1]]
        sql += " ORDER BY rank, hit DESC LIMIT ?"
        return [(row[0], row[1]) for row in self._rows(sql, [*params, count])]

    def floor(self):
        """The oldest of the newest CANDIDATES matches, or None when there are no more matches than those."""
        ((found, oldest),) = self._rows(f"SELECT count(*), min(hit) FROM ({self._newest()}) AS newest", self.params)
        return oldest if found == CANDIDATES else None

    def recent(self, count):
        """The newest `count` matches among the newest RECENT claims."""
        sql = (f"SELECT {self.id} {self.sql} AND {self.id} >= (SELECT max(id) FROM claim) - {RECENT}"
               f" ORDER BY {self.id} DESC LIMIT ?")
        return [row[0] for row in self._rows(sql, [*self.params, count])]

    def older(self, below, count):
        """The newest `count` matches older than the claim `below`."""
        sql = f"SELECT {self.id} {self.sql} AND {self.id} < ? ORDER BY {self.id} DESC LIMIT ?"
        return [row[0] for row in self._rows(sql, [*self.params, below, count])]


def candidates(words, *, limit):
    """Claims (rows with id, uid, text and status) holding some of `words` (as `terms` gives them), best
    first: where claim matching starts.

    Unlike a search, these are ranked by bm25 (SQLite) or ts_rank_cd: a claim that shares a rare word
    with the text is the likelier duplicate. But scoring costs microseconds a match, and words such as
    "in" or "percent" are in nearly every claim, so asking for any word scores most of a large database. So
    only the words in at most COMMON claims (counted no further than that) are asked for; when they find
    fewer than `limit`, the claims holding every other word follow, newest first, from the newest RECENT
    claims (finding the few that hold a dozen common words among all of them is slow on a large database).
    """
    words = list(dict.fromkeys(words))
    if not words:
        return []
    common = _common(words)
    rare = [word for word in words if word not in common]
    found = _by_relevance(rare, limit=limit) if rare else []
    if common and len(found) < limit:
        found += [hit for hit in _Matches(sorted(common), None).recent(limit) if hit not in found][:limit - len(found)]
    rows = {row.id: row for row in Claim.select(Claim.id, Claim.uid, Claim.text, Claim.status)
            .where(Claim.id.in_(found))}
    return [rows[claim_id] for claim_id in found]


def _common(words):
    """Those of `words` that more than COMMON claims hold."""
    probes = [_Matches([word], None) for word in words]
    counted = ", ".join(f"(SELECT count(*) FROM (SELECT 1 {probe.sql} LIMIT {COMMON + 1}) AS probe)"
                        for probe in probes)
    params = [param for probe in probes for param in probe.params]
    counts = database.execute_sql(for_driver(f"SELECT {counted}"), params).fetchone()
    return {word for word, count in zip(words, counts) if count > COMMON}


def _by_relevance(words, *, limit):
    """Ids of the claims holding any of `words`, best first."""
    if is_postgres():
        sql = ("SELECT claim_id FROM claim_search, to_tsquery('english', ?) AS query WHERE document @@ query"
               " ORDER BY ts_rank_cd(document, query) DESC, claim_id LIMIT ?")
        param = _ts_query(words, True)
    else:
        sql = "SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? ORDER BY bm25(claim_fts, 10.0, 4.0), rowid LIMIT ?"
        param = _fts_query(words, True)
    return [row[0] for row in database.execute_sql(for_driver(sql), [param, limit])]


def _fts_query(words, any_term):
    return (" OR " if any_term else " ").join('"%s"' % w for w in words)


def _ts_query(words, any_term):
    return (" | " if any_term else " & ").join(words)


def _snippets(words, claim_ids):
    marks = ", ".join("?" * len(claim_ids))
    if is_postgres():
        sql = ("SELECT claim_id, ts_headline('english', body, to_tsquery('english', ?), ?) FROM claim_search"
               f" WHERE claim_id IN ({marks})")
        options = f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=24, MinWords=8, MaxFragments=2"
        params = [_ts_query(words, False), options, *claim_ids]
    else:
        # FTS5 takes one rowid constraint: given the IN list it matched the query once per id; given the
        # page's range it reads only the matches within it.
        # The + keeps the IN list from being offered to FTS5, so SQLite applies it to what comes back.
        sql = (f"SELECT rowid, snippet(claim_fts, -1, ?, ?, '…', 16) FROM claim_fts"
               f" WHERE claim_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})")
        params = [OPEN, CLOSE, _fts_query(words, False), min(claim_ids), max(claim_ids), *claim_ids]
    return {row[0]: _highlight(row[1]) for row in database.execute_sql(for_driver(sql), params)}


def find_matches(text, *, limit=5, min_score=0.0):
    """[(claim row, score)], best first."""
    # stop words say nothing of which claim a text repeats (similarity ignores them too), and are in
    # nearly every claim, which makes a search for them slow
    words = [word for word in terms(text) if word not in STOPWORDS]
    scored = [(claim, similarity(text, claim.text)) for claim in candidates(words, limit=MATCH_CANDIDATES)]
    scored = [pair for pair in scored if pair[1] > 0 and pair[1] >= min_score]
    scored.sort(key=lambda pair: (-pair[1], pair[0].id))
    return scored[:limit]
