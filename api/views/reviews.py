"""Claim groups (merge, split), sources, evidence, rating scales, verdicts (draft, submit,
approve, publish, correct) and ClaimReview JSON-LD (one per verdict, and a feed)."""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck import selectors
from factcheck.claimreview import claimreview_jsonld
from factcheck.models import Evidence, Verdict
from factcheck.services import groups as group_services
from factcheck.services import sources as source_services
from factcheck.services import verdicts as verdict_services
from matching.services import match_group_split, match_groups_merge

from .. import serializers as s
from ..concurrency import expected_version
from ..filters import ClaimGroupFilter, EvidenceFilter, VerdictFilter
from .base import ERRORS, IF_MATCH, VERSIONED_ERRORS, WorkbenchViewSet

CLAIMREVIEW_EXAMPLE = OpenApiExample(
    "ClaimReview",
    response_only=True,
    value={
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://check.example/fact-checks/3/",
        "claimReviewed": "The harbour plan will cost 7 million euros",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 6,
            "worstRating": 1,
            "alternateName": "False",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "a senior administration official"},
            "appearance": [{"@type": "CreativeWork", "url": "https://news.example/a", "headline": "..."}],
            "firstAppearance": {"@type": "CreativeWork", "url": "https://news.example/a", "headline": "..."},
        },
        "datePublished": "2022-02-23T10:00:00+00:00",
        "author": {"@type": "Organization", "name": "Fact-check Workbench", "url": "https://check.example/"},
    },
)
JSONLD = "application/ld+json"


@extend_schema_view(
    list=extend_schema(summary="List claim groups with their mentions"),
    retrieve=extend_schema(summary="A claim group: mentions, evidence, verdict ids"),
)
class ClaimGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.ClaimGroupSerializer
    filterset_class = ClaimGroupFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    capabilities = {"merge": "claim.group", "split": "claim.group", "partial_update": "claim.curate"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.group_list()
        return selectors.group_list().prefetch_related(
            Prefetch("evidence", queryset=selectors.evidence_list()),
            Prefetch("verdicts", queryset=Verdict.objects.only("id", "group_id")),
        )

    def get_serializer_class(self):
        return s.ClaimGroupSerializer if self.action == "list" else s.ClaimGroupDetailSerializer

    def retrieve(self, request, pk=None):
        return self.respond(self.get_object(), etag=True)

    def _reload(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(
        summary="Set the claim statement (ClaimReview's claimReviewed) and/or how it is reviewed",
        request=s.GroupUpdateSerializer,
        parameters=[IF_MATCH],
        description="Kept in the group's history. `statement_warning` says when it is over 75 characters.",
        responses={200: s.ClaimGroupDetailSerializer, **VERSIONED_ERRORS},
    )
    def partial_update(self, request, pk=None):
        group = self.get_object()
        data = self.input(s.GroupUpdateSerializer)
        version = expected_version(request, group)
        with transaction.atomic():
            if "statement" in data:
                group = group_services.group_statement_update(
                    group=group, statement=data["statement"], by=request.user, version=version
                )
                version = None
            if "double_review" in data:
                group_services.group_double_review_update(
                    group=group, double_review=data["double_review"], by=request.user, version=version
                )
        return self.respond(self._reload(group.pk), s.ClaimGroupDetailSerializer, etag=True)

    @extend_schema(
        summary="Merge other groups into this one",
        request=s.GroupMergeSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ClaimGroupDetailSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        group = self.get_object()
        data = self.input(s.GroupMergeSerializer)
        others = list(type(group).objects.filter(pk__in=data["others"]))
        if len(others) != len(set(data["others"])):
            raise Http404("Some of the groups to merge do not exist.")
        # matching's wrappers record the editors' decision so that re-runs of the matcher respect it
        match_groups_merge(target=group, others=others, by=request.user, version=expected_version(request, group))
        return self.respond(self._reload(group.pk), s.ClaimGroupDetailSerializer, etag=True)

    @extend_schema(
        summary="Split mentions off into a new group",
        request=s.GroupSplitSerializer,
        parameters=[IF_MATCH],
        responses={201: s.ClaimGroupDetailSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        group = self.get_object()
        data = self.input(s.GroupSplitSerializer)
        new = match_group_split(
            group=group, claim_ids=data["claim_ids"], by=request.user, version=expected_version(request, group)
        )
        return self.respond(self._reload(new.pk), s.ClaimGroupDetailSerializer, code=status.HTTP_201_CREATED, etag=True)


@extend_schema_view(list=extend_schema(summary="List sources"), retrieve=extend_schema(summary="A source"))
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.SourceSerializer
    queryset = selectors.source_list()
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    capabilities = {"create": "source.write"}

    @extend_schema(
        summary="Add a source (or get the one with the same URL)",
        request=s.SourceCreateSerializer,
        responses={201: s.SourceSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.input(s.SourceCreateSerializer)
        source = source_services.source_get_or_create(by=request.user, **data)
        return self.respond(source, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List evidence"),
    retrieve=extend_schema(summary="One piece of evidence"),
    destroy=extend_schema(summary="Remove evidence (your own, or any as editor)", responses={204: None, **ERRORS}),
)
class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WorkbenchViewSet):
    serializer_class = s.EvidenceSerializer
    queryset = selectors.evidence_list()
    filterset_class = EvidenceFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]
    capabilities = {"create": "source.write", "destroy": "source.write"}

    @extend_schema(
        summary="Attach a source to a claim group as evidence",
        request=s.EvidenceCreateSerializer,
        responses={201: s.EvidenceSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.input(s.EvidenceCreateSerializer)
        common = {
            "group": data["group"],
            "relation": data["relation"],
            "quoted_passage": data["quoted_passage"],
            "by": request.user,
        }
        if data.get("source"):
            evidence = source_services.evidence_add(source=data["source"], **common)
        else:
            evidence = source_services.evidence_add_from_url(
                url=data["source_url"], title=data["source_title"], **common
            )
        return self.respond(evidence, code=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Evidence):
        source_services.evidence_remove(evidence=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List rating scales with their ratings"),
    retrieve=extend_schema(summary="A rating scale"),
)
class RatingScaleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.RatingScaleSerializer
    queryset = selectors.rating_scale_list()
    ordering_fields = ["id", "name"]
    ordering = ["id"]


@extend_schema_view(
    list=extend_schema(summary="List verdicts"), retrieve=extend_schema(summary="A verdict (its ETag is its version)")
)
class VerdictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.VerdictSerializer
    filterset_class = VerdictFilter
    ordering_fields = ["id", "created_at", "updated_at", "published_at"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {
        "create": "verdict.draft",
        "partial_update": "verdict.draft",
        "submit": "verdict.draft",
        "approve": "verdict.approve",
        "publish": "verdict.publish",
        "correct": "verdict.publish",
    }

    def get_queryset(self):
        if self.action == "claimreview":
            return selectors.verdicts_for_claimreview(include_superseded=True)
        return selectors.verdict_list()

    # Double review: the rating and rationale of a review whose pair is incomplete are hidden from
    # the other reviewer (selectors.verdicts_blind_for), in lists and in single responses.
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "blind": getattr(self, "_blind", set())}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._blind = selectors.verdicts_blind_for(user=self.request.user, verdicts=page or [])
        return page

    def respond(self, obj, serializer_class=None, **kwargs):
        if isinstance(obj, Verdict):
            self._blind = selectors.verdicts_blind_for(user=self.request.user, verdicts=[obj])
        return super().respond(obj, serializer_class, **kwargs)

    def retrieve(self, request, pk=None):
        return self.respond(self.get_object(), etag=True)

    @extend_schema(
        summary="Draft a verdict on a claim group",
        request=s.VerdictCreateSerializer,
        responses={201: s.VerdictSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.input(s.VerdictCreateSerializer)
        verdict = verdict_services.verdict_draft(by=request.user, **data)
        return self.respond(
            verdict, code=status.HTTP_201_CREATED, etag=True, headers={"Location": f"/api/v1/verdicts/{verdict.pk}/"}
        )

    @extend_schema(
        summary="Edit a draft verdict (rating, rationale)",
        request=s.VerdictUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: s.VerdictSerializer, **VERSIONED_ERRORS},
    )
    def partial_update(self, request, pk=None):
        verdict = self.get_object()
        data = self.input(s.VerdictUpdateSerializer)
        data.pop("version", None)
        verdict_services.verdict_update(
            verdict=verdict, by=request.user, version=expected_version(request, verdict), **data
        )
        return self.respond(verdict, etag=True)

    def _step(self, request, service):
        verdict = self.get_object()
        self.input(s.VersionSerializer)
        service(verdict=verdict, by=request.user, version=expected_version(request, verdict))
        return self.respond(verdict, etag=True)

    @extend_schema(
        summary="Submit a draft for approval",
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.VerdictSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, verdict_services.verdict_submit)

    @extend_schema(
        summary="Approve a submitted verdict (not your own)",
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.VerdictSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, verdict_services.verdict_approve)

    @extend_schema(
        summary="Publish an approved verdict",
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.VerdictSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(request, verdict_services.verdict_publish)

    @extend_schema(
        summary="Correct a published verdict",
        request=s.VerdictCorrectSerializer,
        parameters=[IF_MATCH],
        description="The verdict becomes superseded; the correction is a new published verdict.",
        responses={201: s.VerdictSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        verdict = self.get_object()
        data = self.input(s.VerdictCorrectSerializer)
        correction = verdict_services.verdict_correct(
            verdict=verdict,
            by=request.user,
            rating=data["rating"],
            rationale=data["rationale"],
            note=data["note"],
            version=expected_version(request, verdict),
        )
        return self.respond(
            correction,
            code=status.HTTP_201_CREATED,
            etag=True,
            headers={"Location": f"/api/v1/verdicts/{correction.pk}/"},
        )

    @extend_schema(
        summary="The verdict as schema.org ClaimReview JSON-LD (published or superseded verdicts)",
        responses={
            (200, JSONLD): OpenApiResponse(OpenApiTypes.OBJECT, examples=[CLAIMREVIEW_EXAMPLE]),
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"])
    def claimreview(self, request, pk=None):
        return Response(claimreview_jsonld(self.get_object()), content_type=JSONLD)


@extend_schema_view(
    list=extend_schema(
        summary="Feed of recently published verdicts as ClaimReview JSON-LD",
        responses={(200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, examples=[CLAIMREVIEW_EXAMPLE])},
    )
)
class ClaimReviewFeedViewSet(mixins.ListModelMixin, WorkbenchViewSet):
    filter_backends = []

    def get_queryset(self):
        return selectors.verdicts_for_claimreview()

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([claimreview_jsonld(v) for v in page])
