"""The claims JSONL export: one claim per line with its article, span, provenance, group,
verdicts and evidence. Streamed in chunks with prefetches (a constant number of queries per chunk)."""

from collections.abc import Iterator

from django.db.models import Prefetch

from factcheck.claimreview import mention_is_confirmed
from factcheck.models import Claim, Evidence, Verdict


def claims_for_export(*, statuses: list[str] | None = None, article_external_id: str | None = None,
                      chunk_size: int = 500) -> Iterator[Claim]:
    qs = (Claim.objects.select_related("article", "article__outlet", "group")
          .defer("article__body")
          .prefetch_related(
              Prefetch("group__verdicts", queryset=Verdict.objects.exclude(status=Verdict.Status.DRAFT)
                       .select_related("rating", "reviewer").order_by("created_at")),
              Prefetch("group__evidence", queryset=Evidence.objects.select_related("source").order_by("created_at")),
          ).order_by("article_id", "start", "end"))
    if statuses:
        qs = qs.filter(status__in=statuses)
    if article_external_id:
        qs = qs.filter(article__external_id=article_external_id)
    return qs.iterator(chunk_size=chunk_size)


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
            {"id": v.pk, "status": v.status, "rating": v.rating.label if v.rating else None,
             "rating_value": v.rating.value if v.rating else None, "rationale": v.rationale,
             "reviewer": v.reviewer.get_username(), "published_at": v.published_at.isoformat() if v.published_at else None}
            for v in (group.verdicts.all() if group else [])
        ],
        "sources": [
            {"url": e.source.url, "title": e.source.title, "publisher": e.source.publisher, "relation": e.relation,
             "quoted_passage": e.quoted_passage}
            for e in (group.evidence.all() if group else [])
        ],
    }
