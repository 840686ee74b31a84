"""Compare any two claims: POST /api/v1/claims/compare/ over matching.services (also
`manage.py compare_claims`). The web process never runs the models: it stores the batch, a worker
compares it with a time limit, and the request waits for it at most
WORKBENCH["MATCH_COMPARE_WAIT"] seconds (then 202 with the URL to poll)."""

import time

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from matching.models import ClaimComparison
from matching.services import COMPARE_MAX_CHARS, COMPARE_MAX_PAIRS, claim_comparison_create

from .base import ERRORS, WorkbenchAPIView


class ComparePairSerializer(serializers.Serializer):
    a = serializers.CharField(max_length=COMPARE_MAX_CHARS, help_text="A claim.")
    b = serializers.CharField(max_length=COMPARE_MAX_CHARS, help_text="Another claim.")


class CompareRequestSerializer(serializers.Serializer):
    pairs = ComparePairSerializer(many=True, min_length=1, max_length=COMPARE_MAX_PAIRS)


class CompareResultSerializer(serializers.Serializer):
    score = serializers.FloatField(min_value=0, max_value=1, help_text="How likely the two state the same claim.")
    same = serializers.BooleanField(help_text="score ≥ the configured threshold and no veto.")
    veto = serializers.CharField(allow_null=True, help_text="A structured check that rules the pair out.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why, in words.")
    differences = serializers.DictField(
        help_text="Per dimension that differs (numbers, names, dates, quotes, certainty): what a and b say."
    )


class CompareResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ClaimComparison.Status.choices)
    results = CompareResultSerializer(many=True, allow_null=True, help_text="One per pair, in order; null until done.")
    error = serializers.CharField(allow_blank=True)


class CompareThrottle(UserRateThrottle):
    """Comparisons per user (Redis-backed cache in production): REST_FRAMEWORK rate "compare", else 30/min."""

    scope = "compare"

    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope) or "30/min"


def _payload(comparison: ClaimComparison) -> dict:
    return {"id": comparison.pk, "status": comparison.status, "results": comparison.results, "error": comparison.error}


def _answer(comparison: ClaimComparison) -> Response:
    if comparison.status == ClaimComparison.Status.DONE:
        return Response(CompareResponseSerializer(_payload(comparison)).data)
    if comparison.status == ClaimComparison.Status.FAILED:
        return Response(
            CompareResponseSerializer(_payload(comparison)).data, status=status.HTTP_503_SERVICE_UNAVAILABLE
        )
    return Response(
        CompareResponseSerializer(_payload(comparison)).data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": f"/api/v1/claims/compare/{comparison.pk}/"},
    )


RESPONSES = {
    200: CompareResponseSerializer,
    202: OpenApiResponse(CompareResponseSerializer, description="Still running: GET the Location to poll."),
    503: OpenApiResponse(CompareResponseSerializer, description="The worker queue is unavailable or the run failed."),
    **ERRORS,
}


class ClaimCompareView(WorkbenchAPIView):
    """Same claim or not, for up to 100 pairs of texts, with the differences between them."""

    capabilities = {"write": "read"}  # comparing changes no claim: every role may use it

    def get_throttles(self):
        """The compare rate on top of the API's own throttles (off together with them)."""
        throttles = super().get_throttles()
        return [*throttles, CompareThrottle()] if throttles else []

    @extend_schema(
        summary="Compare pairs of claims: score, same, differences",
        request=CompareRequestSerializer,
        responses=RESPONSES,
    )
    def post(self, request):
        serializer = CompareRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairs = [(p["a"], p["b"]) for p in serializer.validated_data["pairs"]]
        comparison = claim_comparison_create(pairs=pairs, by=request.user)
        deadline = time.monotonic() + float(settings.WORKBENCH.get("MATCH_COMPARE_WAIT", 10.0))
        pause = 0.05
        while True:  # the worker may have answered already (or the queue refused it): read the row first
            comparison.refresh_from_db(fields=["status", "results", "error"])
            waiting = comparison.status in (ClaimComparison.Status.QUEUED, ClaimComparison.Status.RUNNING)
            if not waiting or time.monotonic() >= deadline:
                return _answer(comparison)
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.5)


class ClaimCompareDetailView(WorkbenchAPIView):
    """A comparison you asked for (poll it after a 202)."""

    capabilities = {"read": "read"}

    @extend_schema(
        summary="A comparison's status and results",
        responses={200: CompareResponseSerializer, 202: RESPONSES[202], 503: RESPONSES[503], **ERRORS},
    )
    def get(self, request, pk: int):
        comparison = get_object_or_404(ClaimComparison, pk=pk, requested_by=request.user)
        return _answer(comparison)
