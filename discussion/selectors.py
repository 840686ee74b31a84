from django.db.models import Q, QuerySet

from factcheck.models import ClaimGroup

from .models import Comment, Notification


def comments_for_group(*, group: ClaimGroup) -> tuple[list[Comment], dict[int, list[Comment]]]:
    """The group's own thread and each of its verdicts' threads, in one query."""
    rows = (
        Comment.objects.filter(Q(group=group) | Q(verdict__group=group))
        .select_related("author")
        .order_by("created_at", "id")
    )
    own, by_verdict = [], {}
    for comment in rows:
        if comment.verdict_id is None:
            own.append(comment)
        else:
            by_verdict.setdefault(comment.verdict_id, []).append(comment)
    return own, by_verdict


def notifications_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(*, user, limit: int = 100) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")[:limit]
