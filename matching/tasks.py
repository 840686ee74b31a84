"""Celery tasks for cross-linking: thin, take ids, safe to redeliver (claims_match is idempotent)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .services import claim_comparison_run, claims_match

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=20 * 60,
    soft_time_limit=19 * 60,
    autoretry_for=(ConnectionError,),
    max_retries=3,
    retry_backoff=True,
)
def claims_match_task(article_ids: list[int]) -> dict:
    result = claims_match(article_ids=article_ids)
    return {"linked": len(result.linked), "suggested": len(result.suggested), "skipped": result.skipped}


def claims_match_enqueue(*, article_ids: list[int]) -> None:
    """Queue matching for these articles; call it inside transaction.on_commit. A broker outage
    only delays linking (`manage.py match_claims` catches up)."""
    try:
        claims_match_task.apply_async(args=[list(article_ids)], retry=False)
    except Exception as exc:
        logger.warning("could not queue matching of %d articles: %s", len(article_ids), exc)


@shared_task(time_limit=90, soft_time_limit=60, acks_late=True, reject_on_worker_lost=True)
def claims_compare_task(comparison_id: int) -> str:
    """Compare a stored batch of pairs (POST /api/v1/claims/compare/). Idempotent: the service
    claims the row; at the time limit the row says failed."""
    from .models import ClaimComparison

    try:
        done = claim_comparison_run(comparison_id=comparison_id)
    except SoftTimeLimitExceeded:
        ClaimComparison.objects.filter(pk=comparison_id).update(
            status=ClaimComparison.Status.FAILED, error="time limit reached"
        )
        return "failed"
    return "done" if done else "skipped"


def claims_compare_enqueue(*, comparison_id: int) -> None:
    """Queue a comparison on the extraction queue; with the broker down the row says so at once."""
    from .models import ClaimComparison

    try:
        claims_compare_task.apply_async(args=[comparison_id], queue="extraction", retry=False)
    except Exception as exc:
        logger.warning("could not queue comparison %d: %s", comparison_id, exc)
        ClaimComparison.objects.filter(pk=comparison_id, status=ClaimComparison.Status.QUEUED).update(
            status=ClaimComparison.Status.FAILED, error="the worker queue is unavailable"
        )
