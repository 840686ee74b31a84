"""Webhooks: events emitted by the services after commit, delivered signed (HMAC-SHA256) to a
real HTTP server on 127.0.0.1, retried with backoff, logged, shown in the admin."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts.roles import Role
from factcheck.services.verdicts import verdict_approve, verdict_draft, verdict_publish, verdict_submit
from tests.api.conftest import token_client
from tests.factories import ClaimGroupFactory, RatingFactory, UserFactory, correction_published
from webhooks import services
from webhooks.models import Webhook, WebhookDelivery


class Receiver:
    """An HTTP server in a thread that records what it receives and answers with `codes` in turn."""

    def __init__(self, codes=(200,)):
        self.received, self.codes = [], list(codes)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"thanks" if code < 300 else b"nope")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def eager_celery():
    from workbench.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _publish(reviewer, editor):
    rating = RatingFactory(label="False", value=1)
    verdict = verdict_draft(
        group=ClaimGroupFactory(label="Cargo rose 12%"), by=reviewer, rating=rating, rationale="No."
    )
    verdict_submit(verdict=verdict, by=reviewer)
    verdict_approve(verdict=verdict, by=editor)
    return verdict_publish(verdict=verdict, by=editor)


def test_registered_hook_gets_a_signed_delivery_after_publish(
    integration, reviewer, editor, eager_celery, allow_loopback, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        response = token_client(integration).post(
            "/api/v1/webhooks/",
            {"url": receiver.url, "events": ["verdict.published", "verdict.corrected"]},
            format="json",
        )
        assert response.status_code == 201
        secret = response.json()["secret"]
        with django_capture_on_commit_callbacks(execute=True):
            verdict = _publish(reviewer, editor)
        assert len(receiver.received) == 1
        headers, body = receiver.received[0]
    assert headers["X-Workbench-Event"] == "verdict.published"
    assert services.signature_verify(secret=secret, body=body, header=headers["X-Workbench-Signature"])
    assert not services.signature_verify(
        secret=secret, body=body.replace(b"No", b"Yes") + b" ", header=headers["X-Workbench-Signature"]
    )
    assert not services.signature_verify(secret="wrong", body=body, header=headers["X-Workbench-Signature"])
    payload = json.loads(body)
    assert payload["event"] == "verdict.published" and payload["data"]["verdict_id"] == verdict.pk
    assert payload["id"] == headers["X-Workbench-Delivery"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.error) == ("succeeded", 1, 200, "")
    assert not hasattr(delivery, "response_body")  # what the receiver answered is neither stored nor shown
    # the secret is shown once: not in the hook's later representations
    assert "secret" not in token_client(integration).get(f"/api/v1/webhooks/{delivery.webhook_id}/").json()
    deliveries = token_client(integration).get(f"/api/v1/webhooks/{delivery.webhook_id}/deliveries/").json()["results"]
    assert [d["status"] for d in deliveries] == ["succeeded"]


def test_signature_rejects_old_timestamps():
    body = b'{"a":1}'
    header = services.sign(secret="s", body=body, timestamp=int(time.time()) - 3600)
    assert not services.signature_verify(secret="s", body=body, header=header)
    assert services.signature_verify(secret="s", body=body, header=header, now=time.time() - 3600)
    assert not services.signature_verify(secret="s", body=body, header="garbage")


def test_failing_receiver_is_retried_then_marked_failed(
    integration, reviewer, editor, eager_celery, allow_loopback, django_capture_on_commit_callbacks
):
    with Receiver(codes=(500, 503, 200)) as receiver:
        Webhook.objects.create(url=receiver.url, events=["verdict.published"], owner=integration)
        with django_capture_on_commit_callbacks(execute=True):
            _publish(reviewer, editor)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 3, 200)
        assert len(receiver.received) == 3
        # every attempt of one event carries the same delivery id
        assert len({h["X-Workbench-Delivery"] for h, _ in receiver.received}) == 1
    with Receiver(codes=(500,)) as receiver:
        hook = Webhook.objects.create(url=receiver.url, events=["verdict.corrected"], owner=integration)
        verdict = WebhookDelivery.objects.get().payload["data"]["verdict_id"]
        from factcheck.models import Verdict

        published = Verdict.objects.get(pk=verdict)
        with django_capture_on_commit_callbacks(execute=True):
            correction_published(
                verdict=published,
                by=editor,
                approver=UserFactory(role=Role.EDITOR),
                rating=published.rating,
                rationale="r",
                note="n",
            )
        failed = WebhookDelivery.objects.get(webhook=hook)
        assert (failed.status, failed.attempts, failed.response_status) == ("failed", services.MAX_ATTEMPTS, 500)
        assert len(receiver.received) == services.MAX_ATTEMPTS
    assert [services.backoff_seconds(a) for a in range(1, services.MAX_ATTEMPTS)] == [30, 60, 120, 240]


def test_unreachable_receiver_is_logged(integration, db, allow_loopback):
    hook = Webhook.objects.create(
        url="http://127.0.0.1:9/nothing-listens", events=["article.imported"], owner=integration
    )
    (delivery,) = services.webhook_event_emit(event="article.imported", payload={"article_ids": [1]})
    attempt = services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert (attempt.status, attempt.attempts, attempt.response_status) == ("pending", 1, None)
    assert attempt.error == "connection failed"  # a generic reason, nothing the other side said
    assert hook.deliveries.count() == 1


def test_a_redelivered_task_sends_nothing_twice(integration, db, allow_loopback):
    with Receiver() as receiver:
        Webhook.objects.create(url=receiver.url, events=["claims.extracted"], owner=integration)
        (delivery,) = services.webhook_event_emit(event="claims.extracted", payload={"article_ids": [1]})
        assert services.webhook_delivery_attempt(delivery_id=delivery.pk).status == "succeeded"
        assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None
        assert len(receiver.received) == 1


def test_no_listener_no_rows(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert services.webhook_event_emit(event="verdict.published", payload={}) == []


def test_events_from_article_creation_and_extraction(editor, integration, monkeypatch):
    Webhook.objects.create(
        url="http://127.0.0.1:9/", events=["article.imported", "claims.extracted"], owner=integration
    )
    created = (
        token_client(editor)
        .post("/api/v1/articles/", {"headline": "H", "body": "The harbour reopened on Monday."}, format="json")
        .json()
    )
    from factcheck.services import extraction

    monkeypatch.setattr(extraction, "extractor_version", lambda: "test")
    monkeypatch.setattr(extraction, "_candidates_for", lambda texts: [[] for _ in texts])
    extraction.claims_extract(article_ids=[created["id"]])
    events = list(WebhookDelivery.objects.order_by("id").values_list("event", "payload"))
    assert [(e, p["data"]["article_ids"]) for e, p in events] == [
        ("article.imported", [created["id"]]),
        ("claims.extracted", [created["id"]]),
    ]


def test_hooks_are_validated_and_private(integration, admin_user, editor, db):
    client = token_client(integration)
    assert (
        client.post("/api/v1/webhooks/", {"url": "ftp://x", "events": ["verdict.published"]}, format="json").status_code
        == 400
    )
    assert (
        client.post("/api/v1/webhooks/", {"url": "https://x.example", "events": ["nope"]}, format="json").status_code
        == 400
    )
    other = Webhook.objects.create(url="https://other.example", events=["verdict.published"], owner=admin_user)
    assert client.get(f"/api/v1/webhooks/{other.pk}/").status_code == 404
    assert token_client(admin_user).get(f"/api/v1/webhooks/{other.pk}/").status_code == 200
    assert token_client(editor).get("/api/v1/webhooks/").status_code == 403


def test_deliveries_are_visible_in_the_admin(client, django_user_model, integration):
    client.force_login(django_user_model.objects.create_superuser("root", "root@newsroom.example", "pw"))
    hook = Webhook.objects.create(url="http://127.0.0.1:9/", events=["verdict.published"], owner=integration)
    WebhookDelivery.objects.create(webhook=hook, event="verdict.published", payload={"x": 1}, status="failed")
    page = client.get("/admin/webhooks/webhookdelivery/")
    assert page.status_code == 200 and b"verdict.published" in page.content


@pytest.mark.django_db
def test_every_import_path_emits_article_imported_with_the_batch(
    integration, seeds_dir, django_capture_on_commit_callbacks
):
    """The command, the admin upload and the API all go through articles_import, which emits the event."""
    from articles.models import Article
    from articles.services import articles_import_paths

    hook = services.webhook_create(url="https://cms.example/hooks", events=["article.imported"], by=integration)
    with django_capture_on_commit_callbacks(execute=False):
        batch = articles_import_paths(paths=[str(seeds_dir)])
    delivery = WebhookDelivery.objects.get(webhook=hook)
    payload = delivery.payload if isinstance(delivery.payload, dict) else json.loads(delivery.payload)
    body = payload.get("data", payload)
    assert body["batch_id"] == batch.pk and body["created"] == 5
    assert sorted(body["article_ids"]) == sorted(Article.objects.values_list("id", flat=True))
    # a re-import that creates nothing sends nothing
    with django_capture_on_commit_callbacks(execute=False):
        articles_import_paths(paths=[str(seeds_dir)])
    assert WebhookDelivery.objects.filter(webhook=hook).count() == 1
