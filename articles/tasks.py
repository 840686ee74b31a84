from celery import shared_task

from .services import import_batch_process


@shared_task(time_limit=3600, soft_time_limit=3500)
def import_batch_process_task(batch_id: int) -> None:
    """Import an uploaded file. Idempotent: the service claims the batch (pending → running)."""
    import_batch_process(batch_id=batch_id)
