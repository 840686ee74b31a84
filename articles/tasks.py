from celery import shared_task

from .services import IMPORT_TASK_TIME_LIMIT, import_batch_process, import_batch_sweep


@shared_task(time_limit=IMPORT_TASK_TIME_LIMIT, soft_time_limit=IMPORT_TASK_TIME_LIMIT - 100)
def import_batch_process_task(batch_id: int) -> None:
    """Import an uploaded file. Idempotent: the service claims the batch (pending → running)."""
    import_batch_process(batch_id=batch_id)


@shared_task(time_limit=120, soft_time_limit=110)
def import_batch_sweep_task() -> int:
    """The outbox sweep for import batches (celery beat)."""
    return import_batch_sweep()
