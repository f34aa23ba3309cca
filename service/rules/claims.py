"""What a claim is: its tags, its appearances and its state, the one shape the audit log snapshots and its
stored document holds (service/rules/documents.py)."""


def normalise_tags(tags):
    """Trimmed, de-duplicated, in the order given: the same tag twice is one tag."""
    seen = []
    for tag in tags or ():
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def appearance_dict(appearance, source_uid, sentence_index):
    return {
        "id": appearance.uid,
        "source_id": source_uid,
        "sentence_index": sentence_index,
        "quote_selector": {
            "type": "TextQuoteSelector",
            "exact": appearance.exact,
            "prefix": appearance.prefix,
            "suffix": appearance.suffix,
        },
        "position_selector": {"type": "TextPositionSelector", "start": appearance.start, "end": appearance.end},
        "created_at": appearance.created_at,
    }


def _first_appearance_id(dated):
    """The earliest appearance by its source's publication date; undated ones count after dated ones."""
    if not dated:
        return None
    order = sorted(range(len(dated)), key=lambda i: (dated[i][0] is None, dated[i][0] or 0, i))
    return dated[order[0]][1]["id"]


def own_fields(claim, speaker_uid):
    """The claim's own fields, with the speaker by id."""
    return {
        "id": claim.uid,
        "external_id": claim.external_id,
        "text": claim.text,
        "speaker_id": speaker_uid,
        "claim_date": claim.claim_date,
        "status": claim.status,
        "tags": list(claim.tags or []),
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "version": claim.version,
    }


def state(claim, dated_appearances, speaker_uid):
    """The claim as the audit log keeps it and its document holds it: `dated_appearances` are
    (the source's publication date, appearance dict) in the order recorded."""
    return {
        **own_fields(claim, speaker_uid),
        "appearances": [a for _, a in dated_appearances],
        "first_appearance_id": _first_appearance_id(dated_appearances),
    }
