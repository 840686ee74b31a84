"""Downloads of the work queue's current filter: its claims, or the verdicts on them, as CSV (cells
a spreadsheet would run as formulas neutralised, factcheck/csv_export.py), JSON Lines (the records
of `manage.py export_claims`) or W3C Web Annotation JSON-LD (an AnnotationCollection). Streamed:
rows are read with iterator() in chunks and written as they come, never held in memory."""

import json
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from factcheck.claimreview import ANNOTATION_CONTEXT, verdict_web_annotation_jsonld, web_annotation_jsonld
from factcheck.csv_export import claims_csv_lines, verdicts_csv_lines
from factcheck.export import claim_export_record, claims_for_export, verdict_export_record, verdicts_for_export

from ..decorators import capability_required
from ..forms import QueueFilterForm
from ..selectors import queue_claims, queue_verdicts

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "jsonld": ("application/ld+json; charset=utf-8", "jsonld"),
}


def _jsonl(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _annotation_collection(docs: Iterable[dict], *, label: str) -> Iterator[str]:
    """{"@context", "type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": [...]}},
    written item by item (each annotation without its own @context: the collection's applies)."""
    yield json.dumps({"@context": ANNOTATION_CONTEXT, "type": "AnnotationCollection", "label": label})[:-1]
    yield ', "first": {"type": "AnnotationPage", "items": ['
    for i, doc in enumerate(docs):
        doc.pop("@context", None)
        yield ("," if i else "") + "\n" + json.dumps(doc, ensure_ascii=False)
    yield "\n]}}\n"


def _download(fmt: str, what: str, lines: Iterator[str]) -> StreamingHttpResponse:
    content_type, extension = FORMATS[fmt]
    if fmt == "csv":  # a byte-order mark so that spreadsheets read UTF-8, as the command writes
        lines = _prepend("\ufeff", lines)
    response = StreamingHttpResponse((line.encode() for line in lines), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{what}-{stamp}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _export(request, fmt: str, what: str, rows: Callable, csv_lines: Callable, record: Callable, annotation: Callable):
    if fmt not in FORMATS:
        raise Http404("Unknown export format")
    # The same filter as the work queue shows, starting at the check-worthiness threshold.
    form = QueueFilterForm(request.GET or None, threshold=settings.WORKBENCH["CHECKWORTHY_THRESHOLD"])
    items = rows(form.filters())
    if fmt == "csv":
        lines = csv_lines(items)
    elif fmt == "jsonl":
        lines = _jsonl(record(item) for item in items)
    else:
        lines = _annotation_collection((annotation(item) for item in items), label=f"Fact-check Workbench {what}")
    return _download(fmt, what, lines)


@capability_required("read")
def claims_export(request, fmt: str):
    """The claims the work queue's filter shows (all pages), in article order."""
    return _export(
        request,
        fmt,
        "claims",
        rows=lambda filters: claims_for_export(claims=queue_claims(filters=filters, user=request.user)),
        csv_lines=lambda claims: claims_csv_lines(claims=claims),
        record=claim_export_record,
        annotation=web_annotation_jsonld,
    )


@capability_required("read")
def verdicts_export(request, fmt: str):
    """The verdicts (not drafts) on the claims the work queue's filter shows."""
    return _export(
        request,
        fmt,
        "verdicts",
        rows=lambda filters: verdicts_for_export(verdicts=queue_verdicts(filters=filters, user=request.user)),
        csv_lines=lambda verdicts: verdicts_csv_lines(verdicts=verdicts),
        record=verdict_export_record,
        annotation=verdict_web_annotation_jsonld,
    )
