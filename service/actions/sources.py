"""Source writes: a source is stored once, split into sentences when stored."""
from ..clock import utcnow
from ..rules.provenance import text_sha256
from ..rules.segmenting import split_sentences
from ..rules.sources import represent, snapshot
from ..store import audit
from ..store.db import write_transaction
from ..store.models import Source, new_uid
from ..store.sources import insert_sources


def create_source(ctx, *, title, text, url=None, publisher=None, published_date=None, language="en"):
    spans = split_sentences(text, language)
    source = Source(title=title, text=text, url=url, publisher=publisher, published_date=published_date,
                    language=language, sha256=text_sha256(text), sentence_count=len(spans), uid=new_uid())
    with write_transaction():
        source.created_at = utcnow()  # the write's own instant, as its audit event's
        fields = {f.name: getattr(source, f.name) for f in Source._meta.sorted_fields if f.name != "id"}
        insert_sources([(fields, [(s.start, s.end) for s in spans])])
        audit.record(ctx, "source", source.uid, "create", None, snapshot(source))
    return represent(source)
