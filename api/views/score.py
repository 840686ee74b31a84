"""Score any text: the endpoint over factcheck.scoring.text_score_on_worker (the model runs on a
worker of the `scoring` queue, never in the web process; `manage.py score_text` runs it locally)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from factcheck.scoring import score_body_max_bytes, text_score_on_worker

from .. import serializers as s
from ..exceptions import RequestTooLarge
from ..throttling import ScoreThrottle
from .base import ERRORS, WorkbenchAPIView


class ScoreView(WorkbenchAPIView):
    capabilities = {"write": "read"}  # scoring changes nothing: every role may use it
    throttle_classes = [ScoreThrottle]

    @extend_schema(
        summary="Score any text for check-worthiness, sentence by sentence",
        request=s.ScoreRequestSerializer,
        responses={
            200: s.ScoreResponseSerializer,
            **ERRORS,
            413: OpenApiResponse(
                description="More than WORKBENCH_SCORE_MAX_CHARS characters or WORKBENCH_SCORE_MAX_SENTENCES sentences."
            ),
            429: OpenApiResponse(description="Too many scoring requests with this token; see Retry-After."),
            503: OpenApiResponse(
                description="No scoring worker answered in time, the time limit was hit, or "
                "the queue is down; `detail` says which. See Retry-After."
            ),
        },
    )
    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > score_body_max_bytes():  # refused before the body is read
            raise RequestTooLarge(f"Request body too large for scoring (at most {score_body_max_bytes():,} bytes).")
        serializer = s.ScoreRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(text_score_on_worker(**serializer.validated_data))
