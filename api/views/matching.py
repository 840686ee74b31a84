"""REST endpoints for cross-linking, on the API's one router (api/urls.py):

- GET/POST previously-checked/ — past fact-checks matching any text (or a claim), ranked.
- match-suggestions/ — the matcher's open suggestions; confirm/ and reject/ call the services.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck.models import Claim
from matching import selectors, services
from matching.models import MatchSuggestion, PastFactCheck

from .base import ERRORS, WorkbenchAPIView, WorkbenchViewSet


class PreviouslyCheckedRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=False, max_length=20000)
    claim_id = serializers.IntegerField(required=False)
    date = serializers.DateField(
        required=False, help_text="When the text was published; used in the ranking only when given."
    )
    use_date = serializers.BooleanField(
        required=False, default=False, help_text="With claim_id: rank with its article's publication date too."
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=5)

    def validate(self, attrs):
        if not attrs.get("text") and not attrs.get("claim_id"):
            raise serializers.ValidationError({"text": "Send the text to check (or a claim_id)."})
        return attrs


class PastFactCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = PastFactCheck
        fields = [
            "id",
            "claim_text",
            "title",
            "rating",
            "url",
            "publisher",
            "author",
            "claimant",
            "published",
            "dataset",
            "external_id",
        ]


class PreviouslyCheckedHitSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    fact_check = PastFactCheckSerializer()


class PreviouslyCheckedResponseSerializer(serializers.Serializer):
    results = PreviouslyCheckedHitSerializer(many=True)


class PreviouslyCheckedView(WorkbenchAPIView):
    """Has this been checked before? Past fact-checks matching a text, best first."""

    capabilities = {"read": "read", "write": "read"}  # searching changes nothing

    def _answer(self, data):
        serializer = PreviouslyCheckedRequestSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        params = serializer.validated_data
        if params.get("claim_id"):
            claim = get_object_or_404(Claim.objects.select_related("article"), pk=params["claim_id"])
            hits = selectors.previously_checked_for_claim(
                claim=claim, limit=params["limit"], use_date=params["use_date"]
            )
        else:
            hits = selectors.previously_checked_search(
                text=params["text"], when=params.get("date"), limit=params["limit"]
            )
        return Response(PreviouslyCheckedResponseSerializer({"results": hits}).data)

    @extend_schema(
        summary="Past fact-checks matching a text (query parameters)",
        parameters=[
            OpenApiParameter("text", str),
            OpenApiParameter("claim_id", int),
            OpenApiParameter("date", str, description="YYYY-MM-DD"),
            OpenApiParameter("use_date", bool),
            OpenApiParameter("limit", int),
        ],
        responses={200: PreviouslyCheckedResponseSerializer, **ERRORS},
    )
    def get(self, request):
        return self._answer(request.query_params.dict())

    @extend_schema(
        summary="Past fact-checks matching a text",
        request=PreviouslyCheckedRequestSerializer,
        responses={200: PreviouslyCheckedResponseSerializer, **ERRORS},
    )
    def post(self, request):
        return self._answer(request.data)


class MatchSuggestionSerializer(serializers.ModelSerializer):
    claim_text = serializers.CharField(source="claim.exact", read_only=True)
    # default=None: null when the article has no outlet (or there is no target / decider yet).
    claim_outlet = serializers.CharField(
        source="claim.article.outlet.name", read_only=True, default=None, allow_null=True
    )
    target_text = serializers.CharField(source="target_claim.exact", read_only=True, default=None, allow_null=True)
    target_outlet = serializers.CharField(
        source="target_claim.article.outlet.name", read_only=True, default=None, allow_null=True
    )
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = MatchSuggestion
        fields = [
            "id",
            "claim",
            "claim_text",
            "claim_outlet",
            "group",
            "target_claim",
            "target_text",
            "target_outlet",
            "score",
            "reasons",
            "status",
            "matcher",
            "auto_link_threshold",
            "suggest_threshold",
            "decided_by",
            "decided_at",
            "created_at",
        ]


class MatchSuggestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    """The matcher's proposals (status=suggested by default; ?status=auto|confirmed|rejected|all)."""

    serializer_class = MatchSuggestionSerializer
    capabilities = {"read": "read", "confirm": "claim.group", "reject": "claim.group"}

    def get_queryset(self):
        status = self.request.query_params.get("status", MatchSuggestion.Status.SUGGESTED)
        return selectors.match_suggestion_list(status=None if status == "all" else status).order_by("-score", "id")

    @extend_schema(
        summary="Confirm: the claim joins the suggested group",
        request=None,
        responses={200: MatchSuggestionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        suggestion = get_object_or_404(MatchSuggestion, pk=pk)
        services.match_suggestion_confirm(suggestion=suggestion, by=request.user)
        return self.respond(selectors.match_suggestion_list(status=None).get(pk=pk))

    @extend_schema(
        summary="Reject: never propose this link again",
        request=None,
        responses={200: MatchSuggestionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        suggestion = get_object_or_404(MatchSuggestion, pk=pk)
        services.match_suggestion_reject(suggestion=suggestion, by=request.user)
        return self.respond(selectors.match_suggestion_list(status=None).get(pk=pk))
