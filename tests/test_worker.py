"""Tasks through the real broker (filesystem by default, Redis in CI) to a real worker process."""

import pytest
from django.core.files.base import ContentFile

from articles.models import Article, ImportBatch
from articles.services import import_batch_create
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_uploaded_batch_is_imported_by_the_worker(celery_worker_process):
    from articles.tasks import import_batch_process_task

    upload = ContentFile(
        b'{"headline": "Worker import", "body": "The worker imported this article."}\n', name="feed.jsonl"
    )
    batch = import_batch_create(source_name="feed.jsonl", upload=upload)
    import_batch_process_task.delay(batch.pk)
    wait_for(
        lambda: ImportBatch.objects.get(pk=batch.pk).status == "done", timeout=60, message="the batch to be processed"
    )
    batch.refresh_from_db()
    assert (batch.created_count, batch.failed_count) == (1, 0)
    assert Article.objects.filter(headline="Worker import").exists()
    # A redelivered message changes nothing: the batch is claimed only once.
    import_batch_process_task.delay(batch.pk)
    import_batch_process_task.delay(batch.pk)
    log = celery_worker_process.log_path
    wait_for(lambda: log.read_bytes().count(b"succeeded") >= 3, timeout=60, message="the redelivered messages")
    assert Article.objects.filter(headline="Worker import").count() == 1


def test_imported_seeds_are_extracted_by_the_worker(celery_worker_process, seeds_dir):
    """Import → after commit a task through the real broker → the worker extracts candidates."""
    from articles.services import articles_import_paths
    from factcheck.models import Claim

    batch = articles_import_paths(paths=[str(seeds_dir)])
    assert batch.created_count == 5
    wait_for(
        lambda: Article.objects.filter(extraction_status="done").count() == 5,
        timeout=120,
        message="the worker to extract the five seed articles",
    )
    assert Claim.objects.filter(exact__startswith="We have anticipated such a move", speaker="Jen Psaki").exists()
    assert set(Claim.objects.values_list("origin", "status").distinct()) == {("machine", "candidate")}


def test_broker_outage_during_import_loses_nothing(celery_worker_process, monkeypatch):
    """With the broker unreachable the import still succeeds; the articles wait as `pending` and the
    outbox sweep queues them once the broker is back, and the worker extracts them."""
    from kombu.exceptions import OperationalError

    from articles.formats import ImportRecord
    from articles.services import articles_import, import_batch_create
    from factcheck.services.extraction import extraction_sweep
    from factcheck.tasks import claims_extract_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to broker. Connection refused.")

    records = [
        ImportRecord("outage.jsonl", i, {"headline": f"Outage {i}", "body": f"The council voted {i} times on Tuesday."})
        for i in range(1, 4)
    ]
    with monkeypatch.context() as patch:
        patch.setattr(claims_extract_task, "apply_async", broker_down)
        batch = articles_import(batch=import_batch_create(source_name="outage"), records=records)
    assert (batch.created_count, batch.status) == (3, "done")
    assert set(Article.objects.values_list("extraction_status", flat=True)) == {"pending"}
    assert extraction_sweep() == 3  # the broker is back
    wait_for(
        lambda: Article.objects.filter(extraction_status="done").count() == 3,
        timeout=120,
        message="extraction to catch up after the outage",
    )


def test_worker_killed_mid_batch_every_article_extracted_once(worker_factory, settings):
    """SIGKILL the worker in the middle of a batch of 200 articles; after a restart (and the sweep
    re-queueing the abandoned work) every article is extracted, none twice over: the claims equal
    those of a clean in-process extraction, with no duplicate spans."""
    from articles.formats import ImportRecord
    from articles.services import articles_import, import_batch_create
    from factcheck.models import Claim
    from factcheck.services.extraction import extraction_sweep

    requeue_after = 3
    settings.WORKBENCH = {**settings.WORKBENCH, "EXTRACTION_REQUEUE_AFTER": requeue_after}
    records = [
        ImportRecord(
            "kill.jsonl",
            i,
            {
                "headline": f"Story {i}",
                "body": (
                    f"The city council approved {i} new homes on Tuesday, Mayor Ilse Brandt said. "
                    f"“We will build {i * 3} more next year,” she added. Costs rose by {i % 40} percent since 2020, "
                    f"according to the finance department."
                ),
            },
        )
        for i in range(1, 201)
    ]
    articles_import(batch=import_batch_create(source_name="kill"), records=records)
    ids = list(Article.objects.values_list("id", flat=True))
    assert len(ids) == 200

    worker = worker_factory(WORKBENCH_EXTRACTION_REQUEUE_AFTER=requeue_after).start()
    wait_for(
        lambda: Article.objects.filter(extraction_status="done").count() >= 10,
        timeout=120,
        interval=0.05,
        message="the first articles to be extracted",
    )
    worker.kill()
    done_at_kill = Article.objects.filter(extraction_status="done").count()
    assert done_at_kill < 200, "the worker finished before it could be killed; make the batch bigger"

    worker_factory(WORKBENCH_EXTRACTION_REQUEUE_AFTER=requeue_after).start()

    def all_done() -> bool:
        extraction_sweep()  # what beat does every minute
        return Article.objects.filter(extraction_status="done").count() == 200

    wait_for(all_done, timeout=240, interval=requeue_after, message="every article to be extracted after the restart")
    spans = list(Claim.objects.values_list("article_id", "start", "end"))
    assert len(spans) == len(set(spans))
    # The same claims as a clean in-process run of the same extractor.
    from factcheck.services.extraction import _candidates_for

    expected = sum(
        len({(c.start, c.end) for c in cands}) for cands in _candidates_for([r.data["body"] for r in records])
    )
    assert len(spans) == expected
