"""Sources: stored once, text never edited, split into sentences when stored."""
from collections import defaultdict

from . import audit
from .db import write_transaction
from .errors import NotFound
from .models import Sentence, Source
from .pagination import page
from .provenance import text_sha256
from .segmenting import split_sentences


def snapshot(source):
    """What the audit log keeps of a source: its metadata and the hash that pins its text."""
    return {
        "id": source.uid,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published_date": source.published_date,
        "language": source.language,
        "sha256": source.sha256,
        "sentence_count": source.sentence_count,
        "created_at": source.created_at,
    }


def represent(source):
    """The source as the API shows it: its snapshot plus the text."""
    return {**snapshot(source), "text": source.text}


def create_source(ctx, *, title, text, url=None, publisher=None, published_date=None, language="en"):
    spans = split_sentences(text, language)
    with write_transaction():
        source = Source.create(
            title=title, text=text, url=url, publisher=publisher,
            published_date=published_date, language=language, sha256=text_sha256(text),
            sentence_count=len(spans),
        )
        Sentence.insert_many(
            [{"source": source.id, "index": s.index, "start": s.start, "end": s.end, "text": s.text} for s in spans]
        ).execute()
        audit.record(ctx, "source", source.uid, "create", None, snapshot(source))
    return represent(source)


def with_sentences(uids):
    """Sources by id, each with its text and its sentences' offsets: all it takes to store it again."""
    rows = list(Source.select().where(Source.uid.in_(list(uids))))
    spans = defaultdict(list)
    sentences = (Sentence.select(Sentence.source, Sentence.start, Sentence.end)
                 .where(Sentence.source.in_([row.id for row in rows])).order_by(Sentence.source, Sentence.index))
    for sentence in sentences:
        spans[sentence.source_id].append([sentence.start, sentence.end])
    return {row.uid: {**represent(row), "sentences": spans[row.id]} for row in rows}


def get_source(uid):
    source = Source.select().where(Source.uid == uid).first()
    if source is None:
        raise NotFound(f"no source with id {uid}")
    return represent(source)


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
    source = Source.select(Source.id).where(Source.uid == source_uid).first()
    if source is None:
        raise NotFound(f"no source with id {source_uid}")
    return page(Sentence.select().where(Sentence.source == source.id), Sentence.id, limit, cursor)
