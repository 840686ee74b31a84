"""Celery tasks: thin and idempotent. They take ids, and the services claim work with a
conditional UPDATE, so a redelivered message changes nothing."""

import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings

from .scoring import text_score
from .services.extraction import claims_extract, extraction_sweep

logger = logging.getLogger(__name__)


@worker_process_init.connect
def _load_models(**kwargs) -> None:
    """Load spaCy and the check-worthiness model once per worker process, before the first task
    (web processes never load them)."""
    from factcheck.services.extraction import extractor_version

    try:
        logger.warning("extraction models loaded in worker process: %s", extractor_version())
    except Exception:  # the tasks will fail and say why; the worker must still start
        logger.exception("could not load the extraction models")


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
    autoretry_for=(ConnectionError,),
    max_retries=3,
    retry_backoff=True,
)
def claims_extract_task(article_ids: list[int]) -> dict:
    result = claims_extract(article_ids=article_ids)
    return {"extracted": len(result.extracted), "skipped": len(result.skipped), "failed": len(result.failed)}


@shared_task(time_limit=120, soft_time_limit=110)
def extraction_sweep_task() -> int:
    return extraction_sweep()


# Scoring for the API (factcheck.scoring.text_score_on_worker): the web process waits for the
# result, so it is stored (the only task with a result) and dropped after it is read. Not retried:
# the caller has stopped waiting by then.
@shared_task(  # type: ignore[call-overload]  # celery-types types the time limits as int; Celery takes float seconds
    ignore_result=False,
    soft_time_limit=float(settings.WORKBENCH["SCORE_TIME_LIMIT"]),
    time_limit=float(settings.WORKBENCH["SCORE_TIME_LIMIT"]) + 5,
)
def text_score_task(*, text: str | None = None, sentences: list[str] | None = None) -> dict:
    return text_score(text=text, sentences=sentences)
