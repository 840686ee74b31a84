"""Comment threads on claim groups and verdicts, and in-app notifications (mentions, assignments,
verdicts waiting for approval, escalations). Writes go through discussion.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from factcheck.models import ClaimGroup, Verdict


class Comment(models.Model):
    """One comment, on a claim group or on a verdict (exactly one of them). `body` is the Markdown
    the author wrote; `body_html` the sanitised HTML rendered from it when it was written."""

    group = models.ForeignKey(ClaimGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    escalated = models.BooleanField(default=False, help_text="The author asked the editors to look at it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=False, verdict__isnull=True) | Q(group__isnull=True, verdict__isnull=False),
                name="comment_on_group_xor_verdict",
            ),
        ]

    def __str__(self):
        return f"comment {self.pk} by {self.author_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", "Mentioned you"
        ASSIGNMENT = "assignment", "Assigned to you"
        APPROVAL = "approval", "Verdict to approve"
        ESCALATION = "escalation", "Escalated to editors"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(ClaimGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey("factcheck.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300, help_text="One line for the list (plain text).")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"
