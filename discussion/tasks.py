from celery import shared_task

from .services import notification_email_send


@shared_task(bind=True, max_retries=3, time_limit=60, soft_time_limit=50)
def notification_email_task(self, notification_id: int) -> bool:
    """Idempotent: the service claims the row before sending; a failure is retried a few times."""
    try:
        return notification_email_send(notification_id=notification_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * (self.request.retries + 1)) from exc
