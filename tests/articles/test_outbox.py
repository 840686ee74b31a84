"""Issue #15 item 3: with the broker down, everything that should be queued is kept as durable
state (an outbox row) and the beat sweep sends it once the broker is back; the API answers 202 and
the admin upload redirects, never 500. bench/drill_broker_outage.py does the same with a real Redis
that is killed."""

import io
import json

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from articles.models import Article, ImportBatch
from articles.services import import_batch_sweep
from articles.tasks import import_batch_process_task
from webhooks.models import Webhook, WebhookDelivery
from webhooks.services import webhook_delivery_sweep, webhook_event_emit
from webhooks.tasks import webhook_deliver_task

pytestmark = pytest.mark.django_db


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _articles(n: int) -> list[dict]:
    return [{"headline": f"Outage {i}", "body": f"Article {i} written while the broker was down."} for i in range(n)]


def test_api_bulk_import_with_the_broker_down_answers_202_and_the_sweep_sends_it_later(
    admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(admin_user)
    with monkeypatch.context() as down:
        down.setattr(import_batch_process_task, "apply_async", _broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/imports/", {"articles": _articles(150)}, format="json")
        assert response.status_code == 202, response.content[:500]
        batch = ImportBatch.objects.get()
        assert (batch.status, batch.queued_at) == ("pending", None)
        assert import_batch_sweep() == 0  # still down: still pending, nothing lost
    sent = []
    monkeypatch.setattr(import_batch_process_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert import_batch_sweep() == 1 and sent == [batch.pk]
    batch.refresh_from_db()
    assert batch.queued_at is not None
    assert import_batch_sweep() == 0  # sent: not again until WORKBENCH_OUTBOX_REQUEUE_AFTER
    from articles.services import import_batch_process

    import_batch_process(batch_id=sent[0])
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("done", 150)


def test_a_lost_import_message_is_sent_again_after_the_requeue_delay(admin_user, monkeypatch, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from articles.services import import_batch_create

    batch = import_batch_create(by=admin_user, source_name="x.jsonl", upload=ContentFile(b"{}", name="x.jsonl"))
    ImportBatch.objects.filter(pk=batch.pk).update(queued_at=timezone.now() - timedelta(seconds=30))
    sent = []
    monkeypatch.setattr(import_batch_process_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOX_REQUEUE_AFTER": 60}
    assert import_batch_sweep() == 0
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOX_REQUEUE_AFTER": 20}
    assert import_batch_sweep() == 1 and sent == [batch.pk]
    assert import_batch_sweep() == 0  # queued_at was refreshed
    ImportBatch.objects.filter(pk=batch.pk).update(status="done", queued_at=None)
    assert import_batch_sweep() == 0 and sent == [batch.pk]  # only pending batches


def test_admin_upload_with_the_broker_down_redirects_and_the_batch_waits(
    client, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_batch_process_task, "apply_async", _broker_down)
    client.raise_request_exception = False
    client.force_login(admin_user)
    upload = io.BytesIO("\n".join(json.dumps(a) for a in _articles(3)).encode())
    upload.name = "feed.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:articles_importbatch_add"), {"upload": upload, "format": "auto"})
    assert response.status_code == 302
    assert ImportBatch.objects.get().status == "pending" and not Article.objects.exists()


def test_webhook_delivery_created_while_the_broker_is_down_is_sent_by_the_sweep(
    admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    Webhook.objects.create(url="https://hooks.example/in", events=["article.imported"], owner=admin_user)
    with monkeypatch.context() as down:
        down.setattr(webhook_deliver_task, "apply_async", _broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            webhook_event_emit(event="article.imported", payload={"article_ids": [1]})
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.queued_at) == ("pending", 0, None)
    sent = []
    monkeypatch.setattr(webhook_deliver_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert webhook_delivery_sweep() == 1 and sent == [delivery.pk]
    assert webhook_delivery_sweep() == 0  # queued now: not twice
    delivery.refresh_from_db()
    assert delivery.queued_at is not None


def test_webhook_delivery_stuck_sending_is_released_and_sent_again(admin_user, monkeypatch, settings):
    from datetime import timedelta

    from django.utils import timezone

    hook = Webhook.objects.create(url="https://hooks.example/in", events=["article.imported"], owner=admin_user)
    long_ago = timezone.now() - timedelta(hours=1)
    stuck = WebhookDelivery.objects.create(
        webhook=hook,
        event="article.imported",
        payload={},
        status="sending",
        attempts=1,
        last_attempt_at=long_ago,
        queued_at=long_ago,
    )
    sent = []
    monkeypatch.setattr(webhook_deliver_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert webhook_delivery_sweep() == 1 and sent == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == "pending"


def test_the_beat_schedule_runs_every_sweep():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "articles.tasks.import_batch_sweep_task",
        "webhooks.tasks.webhook_delivery_sweep_task",
        "factcheck.tasks.extraction_sweep_task",
    } <= tasks
    from workbench.celery import app

    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)


def test_a_batch_left_running_by_a_killed_worker_is_marked_failed_saying_why(admin_user):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from articles.services import IMPORT_TASK_TIME_LIMIT, import_batch_create

    old = timezone.now() - timedelta(seconds=IMPORT_TASK_TIME_LIMIT + 120)
    dead = import_batch_create(by=admin_user, source_name="a.jsonl", upload=ContentFile(b"{}", name="a.jsonl"))
    busy = import_batch_create(by=admin_user, source_name="b.jsonl", upload=ContentFile(b"{}", name="b.jsonl"))
    command = import_batch_create(by=admin_user, source_name="folder/")  # a command import: no time limit
    ImportBatch.objects.filter(pk__in=[dead.pk, command.pk]).update(status="running", started_at=old, created_count=7)
    ImportBatch.objects.filter(pk=busy.pk).update(status="running", started_at=timezone.now())
    import_batch_sweep()
    dead.refresh_from_db()
    assert dead.status == "failed" and "after 7 records" in dead.message and dead.finished_at
    assert ImportBatch.objects.get(pk=busy.pk).status == "running"
    assert ImportBatch.objects.get(pk=command.pk).status == "running"
