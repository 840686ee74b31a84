"""Score any text: the endpoint over factcheck.scoring.text_score (also `manage.py score_text`)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from factcheck.scoring import text_score

from .. import serializers as s
from .base import ERRORS, WorkbenchAPIView


class ScoreView(WorkbenchAPIView):
    capabilities = {"write": "read"}  # scoring changes nothing: every role may use it

    @extend_schema(summary="Score any text for check-worthiness, sentence by sentence",
                   request=s.ScoreRequestSerializer, responses={200: s.ScoreResponseSerializer, **ERRORS})
    def post(self, request):
        serializer = s.ScoreRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(text_score(**serializer.validated_data))
