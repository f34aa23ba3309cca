"""Sources' rows and queries: stored once, text never edited, with their sentences."""
from collections import defaultdict

from peewee import chunked

from ..errors import NotFound
from ..rules.provenance import text_sha256
from ..rules.sources import represent, snapshot
from .db import IN_LIMIT, insert_all
from .models import Sentence, Source
from .paging import page


def insert_sources(sources):
    """Store new sources with their sentences, from (fields, [(start, end)]) pairs (fields by Source field
    name, sha256 and sentence_count included): {uid: row id}."""
    sources = list(sources)
    insert_all(Source, [fields for fields, _ in sources])
    ids = dict(Source.select(Source.uid, Source.id).where(Source.uid.in_([f["uid"] for f, _ in sources])).tuples())
    insert_all(Sentence, [{"source": ids[fields["uid"]], "index": i, "start": start, "end": end,
                           "text": fields["text"][start:end]}
                          for fields, spans in sources for i, (start, end) in enumerate(spans)])
    return ids


def with_sentences(uids):
    """Sources by id, each with its text and its sentences' offsets: all it takes to store it again."""
    rows = list(Source.select().where(Source.uid.in_(list(uids))))
    spans = defaultdict(list)
    sentences = (Sentence.select(Sentence.source, Sentence.start, Sentence.end)
                 .where(Sentence.source.in_([row.id for row in rows])).order_by(Sentence.source, Sentence.index))
    for sentence in sentences:
        spans[sentence.source_id].append([sentence.start, sentence.end])
    return {row.uid: {**represent(row), "sentences": spans[row.id]} for row in rows}


def source_row(uid):
    source = Source.get_or_none(Source.uid == uid)
    if source is None:
        raise NotFound(f"no source with id {uid}")
    return source


def get_source(uid):
    return represent(source_row(uid))


def find_by_text(text):
    """A stored source with exactly this text, or None."""
    source = Source.select().where(Source.sha256 == text_sha256(text)).first()
    return represent(source) if source else None


def list_sources(*, limit, cursor=None, publisher=None):
    query = Source.select(*[f for f in Source._meta.sorted_fields if f is not Source.text])
    if publisher:
        query = query.where(Source.publisher == publisher)
    rows, next_cursor = page(query, Source.id, limit, cursor)
    return [snapshot(row) for row in rows], next_cursor


def get_sentence(source, index):
    sentence = Sentence.get_or_none((Sentence.source == source.id) & (Sentence.index == index))
    if sentence is None:
        raise NotFound(f"source {source.uid} has no sentence {index}")
    return sentence


def list_sentences(source_uid, *, limit, cursor=None):
    source = source_row(source_uid)
    return page(Sentence.select().where(Sentence.source == source.id), Sentence.id, limit, cursor)


def sentence_ids(source_uids):
    """{source uid: (source row id, {sentence index: sentence row id})} for these stored sources."""
    found = defaultdict(dict)
    ids = {}
    for part in chunked(list(source_uids), IN_LIMIT):
        rows = (Sentence.select(Source.uid, Source.id, Sentence.index, Sentence.id)
                .join(Source, on=(Sentence.source == Source.id)).where(Source.uid.in_(part)).tuples())
        for uid, source_id, index, sentence_id in rows:
            ids[uid] = source_id
            found[uid][index] = sentence_id
    return {uid: (ids[uid], found[uid]) for uid in ids}
