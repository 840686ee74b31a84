"""Writes for discussion: comments (Markdown, sanitised, @mentions), notifications and their
e-mails. One function per operation, called unchanged by the web UI and any other interface."""

import html
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.roles import CAPABILITIES, Role, require
from core.errors import InvalidInput
from factcheck.models import Claim, ClaimGroup, Verdict

from .markdown import markdown_render, mentions_find
from .models import Comment, Notification

log = logging.getLogger(__name__)
MAX_COMMENT_CHARS = 10_000
MAX_MENTIONS = 20


def _people(*, usernames=None, roles=None, exclude=None) -> list:
    """Active people with a role that may read the workbench, by username or by role. One query."""
    readers = [r.value for r in CAPABILITIES["read"]]
    qs = get_user_model().objects.filter(Q(groups__name__in=readers) | Q(is_superuser=True), is_active=True)
    if usernames is not None:
        qs = qs.filter(username__in=usernames)
    if roles is not None:
        qs = qs.filter(Q(groups__name__in=[r.value for r in roles]) | Q(is_superuser=True))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.distinct().order_by("username"))


def _notify(
    *, recipients, kind: str, actor, text: str, group=None, claim=None, verdict=None, comment=None
) -> list[Notification]:
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=r,
                kind=kind,
                actor=actor,
                text=text[:300],
                group=group,
                claim=claim,
                verdict=verdict,
                comment=comment,
            )
            for r in recipients
        ]
    )
    if rows and settings.WORKBENCH["NOTIFY_EMAIL"]:
        ids = [n.pk for n in rows]  # bulk_create returns ids on PostgreSQL and SQLite
        transaction.on_commit(lambda: notification_emails_enqueue(notification_ids=ids))
    return rows


@transaction.atomic
def comment_create(
    *, by, body: str, group: ClaimGroup | None = None, verdict: Verdict | None = None, escalate: bool = False
) -> Comment:
    """A comment on a claim group or a verdict. Everyone it @mentions (people with a role) is
    notified; an escalated comment notifies the editors and admins too."""
    require(by, "comment.write", "comment")
    if (group is None) == (verdict is None):
        raise InvalidInput("A comment is on a claim or on a verdict.")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Write something first.", field="body")
    if len(body) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"At most {MAX_COMMENT_CHARS} characters.", field="body")
    mentioned = _people(usernames=mentions_find(body)[:MAX_MENTIONS], exclude=by)
    comment = Comment(
        group=group,
        verdict=verdict,
        author=by,
        body=body,
        escalated=escalate,
        body_html=markdown_render(body, mentioned={u.username for u in mentioned} | {by.username}),
    )
    comment.full_clean()
    comment.save()
    # The list shows one plain line: the rendered comment's text, not its Markdown.
    excerpt = " ".join(html.unescape(strip_tags(comment.body_html)).split())[:120]
    on_group = group or verdict.group
    where = f"claim #{on_group.pk}" if verdict is None else f"verdict #{verdict.pk} on claim #{on_group.pk}"
    _notify(
        recipients=mentioned,
        kind=Notification.Kind.MENTION,
        actor=by,
        group=on_group,
        verdict=verdict,
        comment=comment,
        text=f"{by.get_username()} mentioned you on {where}: {excerpt}",
    )
    if escalate:
        editors = [u for u in _people(roles=[Role.EDITOR, Role.ADMIN], exclude=by) if u not in mentioned]
        _notify(
            recipients=editors,
            kind=Notification.Kind.ESCALATION,
            actor=by,
            group=on_group,
            verdict=verdict,
            comment=comment,
            text=f"{by.get_username()} asks the editors to look at {where}: {excerpt}",
        )
    return comment


def notification_assignment(*, claim: Claim, by) -> None:
    """Called by factcheck.services.claims.claim_assign (inside its transaction)."""
    if claim.assigned_to_id is None or claim.assigned_to_id == by.pk:
        return
    _notify(
        recipients=[claim.assigned_to],
        kind=Notification.Kind.ASSIGNMENT,
        actor=by,
        claim=claim,
        group=claim.group,
        text=f"{by.get_username()} assigned you claim #{claim.pk}: {claim.exact[:120]}",
    )


def notification_approval(*, verdict: Verdict, by) -> None:
    """Called by factcheck.services.verdicts.verdict_submit: the editors (never the author) are
    told that a verdict waits for their approval."""
    editors = [u for u in _people(roles=[Role.EDITOR, Role.ADMIN]) if u.pk != verdict.reviewer_id]
    _notify(
        recipients=editors,
        kind=Notification.Kind.APPROVAL,
        actor=by,
        verdict=verdict,
        group=verdict.group,
        text=f"{by.get_username()} submitted verdict #{verdict.pk} on claim #{verdict.group_id} for approval",
    )


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the person's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notification_emails_enqueue(*, notification_ids: list[int]) -> None:
    from .tasks import notification_email_task

    for pk in notification_ids:
        try:
            notification_email_task.delay(pk)
        except Exception:  # the broker is down: in-app notifications are there anyway
            log.warning("could not queue the e-mail of notification %s", pk, exc_info=True)


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification through Django's mail settings, once: the row is claimed with a
    conditional update, so a redelivered task sends nothing. True if it was sent now."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at=None).update(emailed_at=timezone.now())
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = notification.recipient.email
    if not address:
        return False
    try:
        send_mail(
            subject=f"[Fact-check Workbench] {notification.get_kind_display()}",
            message=f"{notification.text}\n\n{settings.WORKBENCH['SITE_URL'].rstrip('/')}/notifications/",
            from_email=None,
            recipient_list=[address],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)  # to be tried again
        raise
    return True
