"""Claims: list and filter, create a span, edit, accept, reject, assign, bulk decisions with undo,
and each span as a W3C Web Annotation."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck import selectors
from factcheck.claimreview import web_annotation_jsonld
from factcheck.services import claims as claim_services

from .. import serializers as s
from ..concurrency import expected_version
from ..filters import ClaimFilter
from .base import ERRORS, IF_MATCH, VERSIONED_ERRORS, WorkbenchViewSet

ANNOTATION_EXAMPLE = OpenApiExample(
    "Annotation",
    response_only=True,
    value={
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://check.example/api/v1/claims/7/annotation/",
        "type": "Annotation",
        "motivation": "assessing",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "quantity"}],
        "target": {
            "source": "https://news.example/2022/02/22/troops",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "It will cost €4 million",
                    "prefix": "on Tuesday. ",
                    "suffix": ", officials",
                },
                {"type": "TextPositionSelector", "start": 41, "end": 64},
            ],
        },
    },
)


@extend_schema_view(
    list=extend_schema(summary="List claims (filter by article, status, type, score, speaker, ...)"),
    retrieve=extend_schema(summary="A claim (its ETag is its version)"),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "checkworthiness", "created_at", "updated_at", "start"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {
        action: "claim.curate"
        for action in ("create", "partial_update", "accept", "reject", "assign", "bulk_decide", "bulk_undo")
    }

    def get_queryset(self):
        if self.action in ("annotation", "create"):
            return selectors.claim_list()  # the annotation names the article's URL
        return selectors.claim_list(with_article=False)

    def retrieve(self, request, pk=None):
        return self.respond(self.get_object(), etag=True)

    @extend_schema(
        summary="Mark a span of an article as a claim",
        request=s.ClaimCreateSerializer,
        description="Offsets are Unicode code points (default) or UTF-16 code units (`units=utf16`, as "
        "browsers count). `exact` must equal the article text at that span, else 400 saying "
        "where it differs and where the quote actually is.",
        responses={201: s.ClaimSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.input(s.ClaimCreateSerializer)
        claim = claim_services.claim_create(by=request.user, **data)
        return self.respond(
            claim, code=status.HTTP_201_CREATED, etag=True, headers={"Location": f"/api/v1/claims/{claim.pk}/"}
        )

    @extend_schema(
        summary="Edit a claim (type, speaker, anonymous source, person) or move its span (start, end, exact)",
        description="`start`/`end`/`exact` (+ `units`) move the claim's edges, verified as when a span is "
        "created; status, group, verdict, type and speaker stay. An edit of type, speaker or "
        "anonymity returns an `undo` token for `bulk-undo/`.",
        request=s.ClaimUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ClaimChangeSerializer, **VERSIONED_ERRORS},
    )
    def partial_update(self, request, pk=None):
        claim = self.get_object()
        data = self.input(s.ClaimUpdateSerializer)
        data.pop("version", None)
        span = {name: data.pop(name) for name in ("start", "end", "exact", "units") if name in data}
        person = data.pop("person", None)
        version = expected_version(request, claim)
        with transaction.atomic():
            if span:
                claim_services.claim_span_update(claim=claim, by=request.user, version=version, **span)
                version = claim.version
            if data:
                claim_services.claim_update(claim=claim, by=request.user, version=version, **data)
                version = claim.version
            if person is not None:
                claim_services.claim_person_set(claim=claim, person=person, by=request.user, version=version)
        return self.respond(claim, s.ClaimChangeSerializer, etag=True)

    def _decide(self, request, service):
        claim = self.get_object()
        self.input(s.VersionSerializer)
        service(claim=claim, by=request.user, version=expected_version(request, claim))
        return self.respond(claim, s.ClaimChangeSerializer, etag=True)

    @extend_schema(
        summary="Accept a claim (select it for checking)",
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ClaimChangeSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, claim_services.claim_accept)

    @extend_schema(
        summary="Reject a claim",
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ClaimChangeSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, claim_services.claim_reject)

    @extend_schema(
        summary="Assign a claim to a reviewer",
        request=s.ClaimAssignSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ClaimSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        claim = self.get_object()
        data = self.input(s.ClaimAssignSerializer)
        claim_services.claim_assign(
            claim=claim, assignee=data["assignee"], by=request.user, version=expected_version(request, claim)
        )
        return self.respond(claim, etag=True)

    @extend_schema(
        summary="Accept or reject many claims (each at the version you saw); returns what was skipped "
        "and a signed undo token",
        request=s.ClaimsBulkDecideSerializer,
        responses={200: s.ClaimsBulkDecideResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="bulk-decide")
    def bulk_decide(self, request):
        data = self.input(s.ClaimsBulkDecideSerializer)
        return Response(
            claim_services.claims_bulk_decide(claims=data["claims"], decision=data["decision"], by=request.user)
        )

    @extend_schema(
        summary="Undo a bulk decision, or a single accept, reject or edit (its `undo` token)",
        request=s.ClaimsBulkUndoSerializer,
        responses={200: s.ClaimsBulkUndoResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="bulk-undo")
    def bulk_undo(self, request):
        data = self.input(s.ClaimsBulkUndoSerializer)
        return Response(claim_services.claims_bulk_undo(undo=data["undo"], by=request.user))

    @extend_schema(
        summary="The claim span as W3C Web Annotation JSON-LD",
        responses={
            (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT, examples=[ANNOTATION_EXAMPLE]),
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"])
    def annotation(self, request, pk=None):
        return Response(web_annotation_jsonld(self.get_object()), content_type="application/ld+json")
