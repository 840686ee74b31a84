"""Celery tasks for cross-linking: thin, take ids, safe to redeliver (claims_match is idempotent)."""

import logging

from celery import shared_task

from .services import claims_match

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
