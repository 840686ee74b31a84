"""Comment threads on claim groups and verdicts, and the notifications page."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from discussion.models import Notification
from discussion.selectors import notifications_for
from discussion.services import comment_create, notifications_mark_read
from factcheck.models import ClaimGroup, Verdict

from ..decorators import capability_required
from .common import failed


def _comment(request, *, group: ClaimGroup, verdict: Verdict | None, anchor: str):
    back = reverse("web:group-detail", args=[group.pk])
    try:
        comment = comment_create(
            by=request.user,
            body=request.POST.get("body", ""),
            group=None if verdict else group,
            verdict=verdict,
            escalate=request.POST.get("escalate") == "1",
        )
    except ServiceError as exc:
        return failed(request, exc, f"{back}#{anchor}")
    messages.success(request, "Comment added.")
    return HttpResponseRedirect(f"{back}#comment-{comment.pk}")


@require_POST
@capability_required("read")
def group_comment(request, pk: int):
    return _comment(request, group=get_object_or_404(ClaimGroup, pk=pk), verdict=None, anchor="group-comments")


@require_POST
@capability_required("read")
def verdict_comment(request, pk: int):
    verdict = get_object_or_404(Verdict.objects.select_related("group"), pk=pk)
    return _comment(request, group=verdict.group, verdict=verdict, anchor=f"verdict-comments-{pk}")


@capability_required("read")
def notification_list(request):
    notifications = list(notifications_for(user=request.user))
    return render(
        request,
        "web/notification_list.html",
        {
            "notifications": notifications,
            "unread": any(n.read_at is None for n in notifications),
        },
    )


def notification_target(notification: Notification) -> str:
    if notification.comment_id:
        return reverse("web:group-detail", args=[notification.group_id]) + f"#comment-{notification.comment_id}"
    if notification.verdict_id:
        return reverse("web:group-detail", args=[notification.group_id]) + f"#verdict-{notification.verdict_id}"
    if notification.claim_id:
        return reverse("web:claim-detail", args=[notification.claim_id])
    return reverse("web:notification-list")


@require_POST
@capability_required("read")
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)  # someone else's: 404
    notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    return HttpResponseRedirect(notification_target(notification))


@require_POST
@capability_required("read")
def notifications_read(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return HttpResponseRedirect(reverse("web:notification-list"))
