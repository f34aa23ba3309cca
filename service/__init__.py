"""Claimtrail: claim provenance and fact tracking. The app factory is service.app.create_app; the rules,
the store and the use cases import no Flask."""
