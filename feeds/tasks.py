"""Thin tasks: ids in, the service does the work. Each service claims its row with a conditional
UPDATE, so a redelivered message does nothing; failures are retried with backoff by the sweep
(the rows say when), never by piling up Celery retries."""

from celery import shared_task

from . import services


@shared_task(time_limit=180, soft_time_limit=150, max_retries=0)
def feed_poll_task(feed_id: int) -> int | None:
    result = services.feed_poll(feed_id=feed_id)
    return None if result is None else len(result[1])


@shared_task(time_limit=180, soft_time_limit=150, max_retries=0)
def article_page_fetch_task(page_id: int) -> str | None:
    page = services.article_page_fetch(page_id=page_id)
    return None if page is None else page.status


@shared_task(time_limit=180, soft_time_limit=150, max_retries=0)
def article_refetch_task(article_id: int) -> str | None:
    return services.article_refetch(article_id=article_id)


@shared_task(time_limit=120, soft_time_limit=100, max_retries=0)
def feeds_sweep_task() -> dict:
    return services.feeds_sweep()
