"""The claims JSONL export: one claim per line with its article, span, provenance, group,
verdicts and evidence; and the verdicts export, one verdict per line with its claim's mentions and
sources. Streamed in chunks with prefetches (a constant number of queries per chunk): used by
`manage.py export_claims` and by the web UI's downloads (web/views/exports.py)."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from factcheck.claimreview import mention_is_confirmed
from factcheck.models import Claim, Evidence, Verdict


def claims_for_export(
    *,
    statuses: list[str] | None = None,
    article_external_id: str | None = None,
    claims: QuerySet[Claim] | None = None,
    chunk_size: int = 500,
) -> Iterator[Claim]:
    """Claims in article order with everything claim_export_record reads; `claims` narrows them
    (e.g. the work queue's filter)."""
    base = Claim.objects.all() if claims is None else Claim.objects.filter(pk__in=claims.values("pk"))
    qs = (
        base.select_related("article", "article__outlet", "group")
        .defer("article__body")
        .prefetch_related(
            Prefetch(
                "group__verdicts",
                queryset=Verdict.objects.exclude(status=Verdict.Status.DRAFT)
                .select_related("rating", "reviewer")
                .order_by("created_at"),
            ),
            Prefetch("group__evidence", queryset=Evidence.objects.select_related("source").order_by("created_at")),
        )
        .order_by("article_id", "start", "end")
    )
    if statuses:
        qs = qs.filter(status__in=statuses)
    if article_external_id:
        qs = qs.filter(article__external_id=article_external_id)
    return qs.iterator(chunk_size=chunk_size)


def _sources(group) -> list[dict]:
    return [
        {
            "url": e.source.url,
            "title": e.source.title,
            "publisher": e.source.publisher,
            "relation": e.relation,
            "quoted_passage": e.quoted_passage,
        }
        for e in (group.evidence.all() if group else [])
    ]


def claim_export_record(claim: Claim) -> dict:
    article = claim.article
    group = claim.group
    return {
        "claim_id": claim.pk,
        "article_id": article.pk,
        "article_external_id": article.external_id,
        "article_url": article.url,
        "outlet": article.outlet.name if article.outlet else None,
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "type": claim.claim_type,
        "checkworthiness": claim.checkworthiness,
        "speaker": claim.speaker,
        "speaker_role": claim.speaker_role,
        "is_anonymous_source": claim.is_anonymous_source,
        "entities": claim.entities,
        "numbers": claim.numbers,
        "status": claim.status,
        "origin": claim.origin,
        "extractor": claim.extractor_name,
        "extractor_version": claim.extractor_version,
        "group_id": group.pk if group else None,
        "grouped_by": claim.grouped_by,
        # False on a machine-linked mention nobody confirmed: its group's verdict is only "possibly" its own
        "verdict_confirmed": mention_is_confirmed(claim) if group else None,
        "verdicts": [
            {
                "id": v.pk,
                "status": v.status,
                "rating": v.rating.label if v.rating else None,
                "rating_value": v.rating.value if v.rating else None,
                "rationale": v.rationale,
                "reviewer": v.reviewer.get_username(),
                "published_at": v.published_at.isoformat() if v.published_at else None,
            }
            for v in (group.verdicts.all() if group else [])
        ],
        "sources": _sources(group),
    }


def verdicts_for_export(*, verdicts: QuerySet[Verdict], chunk_size: int = 200) -> Iterator[Verdict]:
    """Verdicts (never drafts) with their rating, people, and the group's mentions and evidence."""
    qs = (
        Verdict.objects.filter(pk__in=verdicts.values("pk"))
        .exclude(status=Verdict.Status.DRAFT)
        .select_related("group", "rating", "reviewer", "approved_by", "published_by")
        .prefetch_related(
            Prefetch(
                "group__claims",
                queryset=Claim.objects.select_related("article", "article__outlet")
                .defer("article__body")
                .order_by("article_id", "start"),
            ),
            Prefetch("group__evidence", queryset=Evidence.objects.select_related("source").order_by("created_at")),
        )
        .order_by("group_id", "created_at", "id")
    )
    return qs.iterator(chunk_size=chunk_size)


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def verdict_export_record(verdict: Verdict) -> dict:
    group = verdict.group
    return {
        "verdict_id": verdict.pk,
        "group_id": group.pk,
        "group_label": group.label,
        "status": verdict.status,
        "rating": verdict.rating.label if verdict.rating else None,
        "rating_value": verdict.rating.value if verdict.rating else None,
        "rationale": verdict.rationale,
        "reviewer": _username(verdict.reviewer),
        "approved_by": _username(verdict.approved_by),
        "published_by": _username(verdict.published_by),
        "submitted_at": verdict.submitted_at.isoformat() if verdict.submitted_at else None,
        "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
        "corrects": verdict.corrects_id,
        "correction_note": verdict.correction_note,
        "mentions": [
            {
                "claim_id": c.pk,
                "article_id": c.article_id,
                "article_external_id": c.article.external_id,
                "article_url": c.article.url,
                "outlet": c.article.outlet.name if c.article.outlet else None,
                "start": c.start,
                "end": c.end,
                "exact": c.exact,
                "prefix": c.prefix,
                "suffix": c.suffix,
                "speaker": c.speaker,
                "status": c.status,
            }
            for c in group.claims.all()
        ],
        "sources": _sources(group),
    }
