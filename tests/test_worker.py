"""Tasks through the real broker (filesystem by default, Redis in CI) to a real worker process."""

import pytest
from django.core.files.base import ContentFile

from articles.models import Article, ImportBatch
from articles.services import import_batch_create
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_uploaded_batch_is_imported_by_the_worker(celery_worker_process):
    from articles.tasks import import_batch_process_task

    upload = ContentFile(b'{"headline": "Worker import", "body": "The worker imported this article."}\n', name="feed.jsonl")
    batch = import_batch_create(source_name="feed.jsonl", upload=upload)
    import_batch_process_task.delay(batch.pk)
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == "done", timeout=60, message="the batch to be processed")
    batch.refresh_from_db()
    assert (batch.created_count, batch.failed_count) == (1, 0)
    assert Article.objects.filter(headline="Worker import").exists()
    # A redelivered message changes nothing: the batch is claimed only once.
    import_batch_process_task.delay(batch.pk)
    import_batch_process_task.delay(batch.pk)
    log = celery_worker_process.log_path
    wait_for(lambda: log.read_bytes().count(b"succeeded") >= 3, timeout=60, message="the redelivered messages")
    assert Article.objects.filter(headline="Worker import").count() == 1
