from celery import shared_task

from .models import WebhookDelivery
from .services import MAX_ATTEMPTS, backoff_seconds, webhook_delivery_attempt


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, time_limit=60, soft_time_limit=50)
def webhook_deliver_task(self, delivery_id: int) -> str | None:
    """Send one delivery; on failure retry with exponential backoff, at most MAX_ATTEMPTS in all.
    Idempotent: the service claims the row before sending."""
    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    if delivery is None:
        return None
    if delivery.status == WebhookDelivery.Status.PENDING:
        raise self.retry(countdown=backoff_seconds(delivery.attempts))
    return delivery.status
