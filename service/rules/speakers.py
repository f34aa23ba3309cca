"""Speakers: people and organisations that make claims, as the API shows them and the audit log keeps them."""
EDITABLE = ("name", "kind", "aliases", "role", "affiliation", "region", "external_id")
KINDS = ("person", "organization")


def snapshot(speaker, merged_into_id=None):
    """The speaker as the API shows it and the audit log keeps it; `merged_into_id` is the public id of
    the speaker it was merged into."""
    return {
        "id": speaker.uid,
        "name": speaker.name,
        "kind": speaker.kind,
        "aliases": list(speaker.aliases or []),
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "region": speaker.region,
        "external_id": speaker.external_id,
        "merged_into_id": merged_into_id,
        "version": speaker.version,
        "created_at": speaker.created_at,
        "updated_at": speaker.updated_at,
    }
