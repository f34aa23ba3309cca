from flask import current_app
from flask.views import MethodView

from schemas.candidates import SourceCreatedSchema, SourceStoreArgsSchema
from schemas.common import PageArgsSchema
from schemas.sources import SentencePageSchema, SourceCreateSchema, SourceListArgsSchema, SourcePageSchema, SourceSchema
from service.actions.candidates import create_source
from service.store.sources import get_source, list_sentences, list_sources

from . import Blueprint
from .auth import requires
from .idempotency import idempotent
from .conventions import paged, write_context

blp = Blueprint("sources", __name__, url_prefix="/sources", description="Documents that claims come from")


@blp.route("")
class Sources(MethodView):
    @blp.doc(operationId="listSources")
    @blp.arguments(SourceListArgsSchema, location="query")
    @blp.response(200, SourcePageSchema)
    def get(self, args):
        """List sources, oldest first (without their text).

        A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*list_sources(**args))

    @requires(blp, "editor")
    @idempotent(blp)
    @blp.doc(operationId="createSource")
    @blp.arguments(SourceStoreArgsSchema, location="query")
    @blp.arguments(SourceCreateSchema)
    @blp.response(201, SourceCreatedSchema)
    def post(self, args, data):
        """Store a source and split it into sentences. Its text is kept exactly and never edited.

        Candidate claims are proposed too (see /sources/{source_id}/candidates), in this request once the
        source is stored, unless `extract` says otherwise or the source is long; `extraction` in the answer
        says what was proposed. A source is stored even if extraction then fails.
        """
        return create_source(write_context(), **args, **data,
                             extract_up_to=current_app.extensions["claimtrail"].extract_on_store_chars)


@blp.route("/<uuid:source_id>")
class SourceById(MethodView):
    @blp.doc(operationId="getSource")
    @blp.response(200, SourceSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, source_id):
        """One source with its full text and the SHA-256 of that text.

        The hash lets anyone check that the text claims quote from is the text that was stored.
        """
        return get_source(str(source_id))


@blp.route("/<uuid:source_id>/sentences")
class SourceSentences(MethodView):
    @blp.doc(operationId="listSourceSentences")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, SentencePageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, source_id):
        """The source's sentences in order, with offsets into its text (end exclusive).

        A claim's appearance names one of them by its index. A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*list_sentences(str(source_id), **args))
