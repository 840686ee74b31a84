"""Score any text: split into sentences (spaCy, as extraction does), check-worthiness score and
claim type per sentence. The NLP modules are imported on first use, never at start-up."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from .. import serializers as s
from .base import ERRORS, WorkbenchAPIView


def _claim_type(candidates, start: int, end: int) -> str:
    inside = [c for c in candidates if c.sentence_start >= start and c.sentence_end <= end]
    sentence = next((c for c in inside if c.start == c.sentence_start and c.end == c.sentence_end), None)
    chosen = sentence or (inside[0] if inside else None)
    return chosen.claim_type if chosen else "other"


def score_text(*, text: str | None = None, sentences: list[str] | None = None) -> dict:
    from factcheck import checkworthiness
    from factcheck.extraction import extract_from_doc, get_nlp

    nlp = get_nlp()
    rows = []
    if text is not None:
        doc = nlp(text)
        candidates = extract_from_doc(doc)
        for sent in doc.sents:
            raw = text[sent.start_char:sent.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            start = sent.start_char + (len(raw) - len(raw.lstrip()))
            end = start + len(stripped)
            rows.append({"text": stripped, "start": start, "end": end, "claim_type": _claim_type(candidates, start, end)})
    else:
        for sentence, doc in zip(sentences, nlp.pipe(sentences)):
            rows.append({"text": sentence, "start": None, "end": None,
                         "claim_type": _claim_type(extract_from_doc(doc), 0, len(sentence))})
    scores = checkworthiness.score_sentences([r["text"] for r in rows]) if rows else []
    threshold = float(settings.WORKBENCH["CHECKWORTHY_THRESHOLD"])
    for row, score in zip(rows, scores):
        row["score"] = round(float(score), 6)
        row["check_worthy"] = score >= threshold
    return {"threshold": threshold, "model_version": str(checkworthiness.load_model().version), "sentences": rows}


class ScoreView(WorkbenchAPIView):
    capabilities = {"write": "read"}  # scoring changes nothing: every role may use it

    @extend_schema(summary="Score any text for check-worthiness, sentence by sentence",
                   request=s.ScoreRequestSerializer, responses={200: s.ScoreResponseSerializer, **ERRORS})
    def post(self, request):
        serializer = s.ScoreRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(score_text(**serializer.validated_data))
