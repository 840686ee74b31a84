import secrets
import uuid

from django.conf import settings
from django.db import models


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """An integration's URL that is told about events. Deliveries are signed with `secret`."""

    class Event(models.TextChoices):
        ARTICLE_IMPORTED = "article.imported", "Articles imported (an import batch finished)"
        ARTICLE_REVISED = "article.revised", "Article revised (its text changed at the source or by an edit)"
        CLAIMS_EXTRACTED = "claims.extracted", "Candidate claims extracted"
        VERDICT_PUBLISHED = "verdict.published", "Verdict published"
        VERDICT_CORRECTED = "verdict.corrected", "Published verdict corrected"
        VERDICT_AGREED = "verdict.agreed", "Two independent reviews agree"
        VERDICT_ESCALATED = "verdict.escalated", "Two independent reviews disagree: escalated to an editor"

    name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, help_text="Event names this hook receives.")
    secret = models.CharField(max_length=128, default=new_secret, help_text="HMAC-SHA256 key of the signature header.")
    is_active = models.BooleanField(default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name or self.url


class WebhookDelivery(models.Model):
    """One event sent to one hook: written in the transaction that caused the event (an outbox),
    sent after commit by a task, with bounded retries and exponential backoff."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Webhook.Event.choices)
    event_id = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Same for every hook told about one event."
    )
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # A generic reason (core.outbound.OutboundError), never what the receiver said.
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The outbox: when the next attempt's message is due (set when it is handed to the broker). A
    # pending delivery with none (the broker was down) or long overdue is sent again by the sweep.
    queued_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["webhook", "event_id"], name="webhook_delivery_once_per_event")]

    def __str__(self):
        return f"{self.event} → {self.webhook}"
