"""Sources as the API shows them and the audit log keeps them."""


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
