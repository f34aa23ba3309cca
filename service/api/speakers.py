from flask.views import MethodView

from schemas.speakers import (
    SpeakerCreateSchema,
    SpeakerListArgsSchema,
    SpeakerMergeSchema,
    SpeakerPageSchema,
    SpeakerSchema,
    SpeakerUpdateSchema,
)
from service.actions.speakers import create_speaker, merge_speaker, update_speaker
from service.store.speakers import get_speaker, list_speakers

from . import Blueprint
from .auth import requires
from .idempotency import idempotent
from .conventions import answers_not_modified, expected_version, paged, requires_if_match, with_etag, write_context

blp = Blueprint("speakers", __name__, url_prefix="/speakers", description="People and organisations that make claims")


@blp.route("")
class Speakers(MethodView):
    @blp.doc(operationId="listSpeakers")
    @blp.arguments(SpeakerListArgsSchema, location="query")
    @blp.response(200, SpeakerPageSchema)
    def get(self, args):
        """List speakers, oldest first.

        A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*list_speakers(**args))

    @requires(blp, "editor")
    @idempotent(blp)
    @blp.doc(operationId="createSpeaker")
    @blp.arguments(SpeakerCreateSchema)
    @blp.response(201, SpeakerSchema)
    def post(self, data):
        """Add a speaker.

        Needs an editor key. The answer's ETag is the speaker's first version.
        """
        return with_etag(create_speaker(write_context(), **data))


@blp.route("/<uuid:speaker_id>")
class SpeakerById(MethodView):
    @blp.doc(operationId="getSpeaker")
    @blp.response(200, SpeakerSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @answers_not_modified(blp)
    def get(self, speaker_id):
        """One speaker; its ETag is what a PATCH must send in If-Match.

        With If-None-Match naming the current ETag, the answer is 304 with no body.
        """
        return with_etag(get_speaker(str(speaker_id)))

    @requires(blp, "editor")
    @blp.doc(operationId="updateSpeaker")
    @blp.arguments(SpeakerUpdateSchema)
    @blp.response(200, SpeakerSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @requires_if_match(blp)
    def patch(self, data, speaker_id):
        """Change some of a speaker's fields.

        Needs an editor key and the speaker's ETag in If-Match (or `*`); a stale one is 412 with the
        current ETag. The change and its reason are kept in the audit log.
        """
        reason = data.pop("reason", None)
        return with_etag(
            update_speaker(write_context(), str(speaker_id), data, expected_version=expected_version(),
                                    reason=reason)
        )


@blp.route("/<uuid:speaker_id>/merge")
class SpeakerMerge(MethodView):
    @requires(blp, "editor")
    @blp.doc(operationId="mergeSpeaker")
    @blp.arguments(SpeakerMergeSchema)
    @blp.response(200, SpeakerSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @requires_if_match(blp)
    def post(self, data, speaker_id):
        """Merge this speaker into another: its claims move there and it is kept, marked as merged.

        If-Match carries this speaker's ETag; each moved claim and both speakers get audit events.
        """
        return with_etag(merge_speaker(write_context(), str(speaker_id), into=str(data["into"]),
                                                expected_version=expected_version(), reason=data.get("reason")))
