"""Candidate claims: what extraction (service/rules/extraction) proposes from a source, stored for a checker.

A candidate moves proposed -> accepted (the claim is made through the claims' own write (service/actions/claims.py), in the same
transaction as the candidate's own change) or proposed -> rejected (with a reason from REJECTION_REASONS),
so accepted and rejected candidates are labelled data. Running extraction again on a source stores only
proposals it has not stored before (same sentence, quote offsets and text), and never changes a stored one.
"""
import hashlib

PROPOSED, ACCEPTED, REJECTED = STATUSES = ("proposed", "accepted", "rejected")
REJECTION_REASONS = ("not_check_worthy", "duplicate", "wrong_split", "opinion", "other")
DUPLICATES_PER_CANDIDATE = 5


def text_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def proposal_key(sentence_index, start, end, text_sha256):
    return sentence_index, start, end, text_sha256


def state(row, source_uid, speaker_uid=None, claim_uid=None, duplicate_of_uid=None):
    """The candidate as the audit log keeps it: `likely_duplicates` hold claim ids and scores only."""
    rejection = None
    if row.status == REJECTED:
        rejection = {"reason": row.reason, "note": row.note, "duplicate_of": duplicate_of_uid}
    return {
        "id": row.uid,
        "source_id": source_uid,
        "sentence_index": row.sentence_index,
        "text": row.text,
        "speaker": {"name": row.speaker_name, "id": speaker_uid, "role": row.speaker_role, "kind": row.speaker_kind,
                    "how": row.speaker_how, "confidence": row.speaker_confidence},
        "quote_selector": {"type": "TextQuoteSelector", "exact": row.exact, "prefix": row.prefix,
                           "suffix": row.suffix},
        "position_selector": {"type": "TextPositionSelector", "start": row.start, "end": row.end},
        "check_worthiness": {"score": row.check_worthiness, "signals": row.signals},
        "kind": row.kind,
        "likely_duplicates": list(row.likely_duplicates or []),
        "status": row.status,
        "rejection": rejection,
        "claim_id": claim_uid,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
