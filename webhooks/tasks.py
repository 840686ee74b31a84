from celery import shared_task

from .models import WebhookDelivery
from .services import (
    MAX_ATTEMPTS,
    backoff_seconds,
    webhook_delivery_attempt,
    webhook_delivery_mark_queued,
    webhook_delivery_sweep,
)


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, time_limit=60, soft_time_limit=50)
def webhook_deliver_task(self, delivery_id: int) -> str | None:
    """Send one delivery; on failure retry with exponential backoff, at most MAX_ATTEMPTS in all.
    Idempotent: the service claims the row before sending."""
    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    if delivery is None:
        return None
    if delivery.status == WebhookDelivery.Status.PENDING:
        countdown = backoff_seconds(delivery.attempts)
        webhook_delivery_mark_queued(delivery_ids=[delivery.pk], countdown=countdown)
        raise self.retry(countdown=countdown)
    return delivery.status


@shared_task(time_limit=120, soft_time_limit=110)
def webhook_delivery_sweep_task() -> int:
    """The outbox sweep for webhook deliveries (celery beat)."""
    return webhook_delivery_sweep()
