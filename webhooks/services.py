"""Webhooks: register hooks, emit events (an outbox row per hook, written in the caller's
transaction; sent after commit), and deliver them signed with HMAC-SHA256.

Signature header: `X-Workbench-Signature: t=<unix time>,v1=<hex hmac_sha256(secret, f"{t}.{body}")>`.
Receivers recompute it over the raw body and reject old timestamps (replays).
"""

import hashlib
import hmac
import json
import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import require, user_can
from core import outbound
from core.errors import InvalidInput, PermissionDenied
from core.queueing import tasks_send

from .models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 30  # 30 s, 60 s, 120 s, 240 s between the attempts
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Workbench-Signature"
USER_AGENT = "FactcheckWorkbench-Webhooks/1"


def sign(*, secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def signature_verify(*, secret: str, body: bytes, header: str, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does (and what the tests check): recompute and compare in constant time."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(
        sign(secret=secret, body=body, timestamp=timestamp), f"t={timestamp},v1={parts.get('v1', '')}"
    )


def webhook_url_check(*, url: str) -> None:
    """The receiver URL rules (also used by the admin form): http(s), and not an internal or
    metadata address unless allow-listed (core.outbound)."""
    try:
        URLValidator(schemes=["http", "https"])(url or "")
    except ValidationError:
        raise InvalidInput(f"Not a valid http(s) URL: {str(url)[:200]!r}.", field="url") from None
    try:  # a name that does not resolve yet is accepted; every delivery checks again
        outbound.url_check(url, resolve=False)
    except outbound.OutboundError as exc:
        raise InvalidInput(f"This URL may not receive webhooks: {exc.message}.", field="url") from None


def _check(url: str, events: list[str]) -> None:
    webhook_url_check(url=url)
    if not events:
        raise InvalidInput("Name at least one event.", field="events")
    if unknown := [e for e in events if e not in Webhook.Event.values]:
        raise InvalidInput(f"Unknown events {unknown}; use {', '.join(Webhook.Event.values)}.", field="events")


def _may_manage(webhook: Webhook, by) -> bool:
    return webhook.owner_id == by.pk or user_can(by, "rating.write")  # admins manage every hook


@transaction.atomic
def webhook_create(*, url: str, events: list[str], by, name: str = "") -> Webhook:
    require(by, "webhook.manage", "register webhooks")
    events = list(dict.fromkeys(events or []))
    _check(url, events)
    return Webhook.objects.create(url=url, events=events, name=(name or "")[:200], owner=by)


@transaction.atomic
def webhook_update(
    *,
    webhook: Webhook,
    by,
    url: str | None = None,
    events: list[str] | None = None,
    is_active: bool | None = None,
    name: str | None = None,
) -> Webhook:
    require(by, "webhook.manage", "change webhooks")
    if not _may_manage(webhook, by):
        raise PermissionDenied("This webhook belongs to someone else.")
    url = webhook.url if url is None else url
    events = webhook.events if events is None else list(dict.fromkeys(events))
    _check(url, events)
    webhook.url, webhook.events = url, events
    if is_active is not None:
        webhook.is_active = bool(is_active)
    if name is not None:
        webhook.name = name[:200]
    webhook.save(update_fields=["url", "events", "is_active", "name"])
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook, by) -> None:
    require(by, "webhook.manage", "delete webhooks")
    if not _may_manage(webhook, by):
        raise PermissionDenied("This webhook belongs to someone else.")
    webhook.delete()


def webhook_event_emit(*, event: str, payload: dict) -> list[WebhookDelivery]:
    """Record the event for every active hook subscribed to it (in the caller's transaction) and
    send the deliveries once that transaction commits. Costs one query when nobody listens."""
    if event not in Webhook.Event.values:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = [h for h in Webhook.objects.filter(is_active=True) if event in h.events]
    if not hooks:
        return []
    event_id = uuid.uuid4()
    envelope = {"id": str(event_id), "event": event, "created_at": timezone.now().isoformat(), "data": payload}
    envelope = json.loads(json.dumps(envelope, cls=DjangoJSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=h, event=event, event_id=event_id, payload=envelope) for h in hooks]
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _enqueue(delivery_ids: list[int]) -> None:
    """Hand the deliveries to the broker. The rows are the outbox: one that could not be sent keeps
    `queued_at` empty and the sweep sends it once the broker is back."""
    from .tasks import webhook_deliver_task

    sent = tasks_send(task=webhook_deliver_task, ids=delivery_ids)
    webhook_delivery_mark_queued(delivery_ids=sent)


def webhook_delivery_mark_queued(*, delivery_ids: list[int], countdown: int = 0) -> None:
    """Record that these deliveries' next attempt is in the broker, due in `countdown` seconds."""
    if delivery_ids:
        WebhookDelivery.objects.filter(id__in=delivery_ids, status=WebhookDelivery.Status.PENDING).update(
            queued_at=timezone.now() + timedelta(seconds=countdown)
        )


def webhook_delivery_sweep() -> int:
    """The outbox sweep (celery beat): send pending deliveries that were never handed to the broker
    or whose message is overdue by WORKBENCH_OUTBOX_REQUEUE_AFTER (lost with the broker), and
    release deliveries stuck `sending` (a worker killed mid-request). A delivery sent twice is
    attempted once: the attempt claims the row."""
    overdue = timezone.now() - timedelta(seconds=settings.WORKBENCH["OUTBOX_REQUEUE_AFTER"])
    Status = WebhookDelivery.Status
    WebhookDelivery.objects.filter(status=Status.SENDING, last_attempt_at__lt=overdue).update(
        status=Status.PENDING, queued_at=None
    )
    ids = list(
        WebhookDelivery.objects.filter(status=Status.PENDING, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=overdue))
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    _enqueue(ids)
    return len(ids)


def backoff_seconds(attempt: int) -> int:
    """Delay before attempt `attempt + 1` (attempt counts from 1): 30, 60, 120, 240 s."""
    return BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send one delivery once. Claims the row (pending → sending) so a redelivered task does
    nothing; afterwards the row is succeeded, failed (after MAX_ATTEMPTS) or pending again (the
    caller retries with backoff). Returns None if the row was not claimable."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        id=delivery_id, status=WebhookDelivery.Status.PENDING, attempts__lt=MAX_ATTEMPTS
    ).update(status=WebhookDelivery.Status.SENDING, last_attempt_at=now)
    if claimed != 1:
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(id=delivery_id)
    delivery.attempts += 1
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Workbench-Event": delivery.event,
        "X-Workbench-Delivery": str(delivery.event_id),
        SIGNATURE_HEADER: sign(secret=delivery.webhook.secret, body=body, timestamp=int(time.time())),
    }
    status, error = None, ""
    try:  # the address is checked again now (DNS may have changed), no redirects, body not kept
        status = outbound.request(
            delivery.webhook.url, method="POST", headers=headers, body=body, timeout=TIMEOUT_SECONDS, read_body=False
        ).status
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except outbound.OutboundError as exc:
        error = exc.message
    ok = status is not None and 200 <= status < 300
    if ok:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.SUCCEEDED, timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.status = WebhookDelivery.Status.PENDING
    delivery.response_status, delivery.error = status, error
    delivery.save(update_fields=["status", "attempts", "response_status", "error", "delivered_at"])
    return delivery


def articles_imported_emit(*, article_ids: list[int], batch=None) -> None:
    """`article.imported`: new articles exist (one created through the API, or an import batch
    that finished). Call inside the transaction that created them."""
    if not article_ids and batch is None:
        return
    payload = {"article_ids": list(article_ids)}
    if batch is not None:
        payload.update(
            batch_id=batch.pk,
            status=batch.status,
            created=batch.created_count,
            updated=batch.updated_count,
            duplicates=batch.duplicate_count,
            failed=batch.failed_count,
        )
    webhook_event_emit(event=Webhook.Event.ARTICLE_IMPORTED, payload=payload)


def claims_extracted_emit(*, article_ids: list[int]) -> None:
    """`claims.extracted`: candidate claims of these articles are ready (end of an extraction run)."""
    if article_ids:
        webhook_event_emit(event=Webhook.Event.CLAIMS_EXTRACTED, payload={"article_ids": list(article_ids)})


def article_revised_emit(*, article, orphaned_claim_ids: list[int]) -> None:
    """`article.revised`: an article's text changed (new revision); its decided claims are
    re-anchored, those whose words are gone listed as orphans. Call inside the writing transaction."""
    webhook_event_emit(
        event=Webhook.Event.ARTICLE_REVISED,
        payload={
            "article_id": article.pk,
            "revision": article.revision,
            "url": article.url,
            "orphaned_claim_ids": list(orphaned_claim_ids),
        },
    )
