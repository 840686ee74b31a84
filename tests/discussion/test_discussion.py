"""Discussion (issue 18 item 1): comment threads on claim groups and verdicts (Markdown, sanitised,
@mentions), in-app notifications behind a bell (mentions, assignments, verdicts to approve,
escalations) and optional e-mail through Django's mail settings."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from core.errors import InvalidInput, PermissionDenied
from discussion.models import Comment, Notification
from discussion.services import comment_create, notification_email_send
from factcheck.models import Verdict
from factcheck.services.claims import claim_assign
from factcheck.services.verdicts import verdict_submit
from tests.factories import ClaimFactory, ClaimGroupFactory, UserFactory


@pytest.fixture
def group(db):
    group = ClaimGroupFactory(label="The barrier will protect 40,000 homes")
    ClaimFactory(group=group)
    return group


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_comment_is_markdown_sanitised_and_notifies_whom_it_mentions(group, editor, reviewer, integration):
    body = (
        "Checked **the budget**, @rob-reviewer and @ivy-integration and @nobody: <script>alert(1)</script> "
        "[click](javascript:alert(1)) <img src=x onerror=alert(1)> [table](https://stats.example/t1) `@rob-reviewer`"
    )
    comment = comment_create(by=editor, body=body, group=group)
    html = comment.body_html
    assert "<strong>the budget</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html
    assert '<a href="https://stats.example/t1" rel="noopener noreferrer nofollow">table</a>' in html
    assert '<span class="at-mention">@rob-reviewer</span>' in html and "<code>@rob-reviewer</code>" in html
    assert "@nobody" in html and '<span class="at-mention">@nobody' not in html  # not a colleague
    assert kinds(reviewer) == ["mention"] and kinds(integration) == ["mention"] and kinds(editor) == []
    note = Notification.objects.get(recipient=reviewer)
    assert note.comment == comment and note.group == group and note.actor == editor
    assert "erin-editor mentioned you on claim #" in note.text
    assert ": Checked the budget, @rob-reviewer" in note.text and "**" not in note.text  # plain text, not Markdown


def test_a_verdict_thread_and_escalation_to_the_editors(group, editor, reviewer, admin_user):
    verdict = Verdict.objects.create(group=group, reviewer=reviewer)
    other_editor = UserFactory(username="ed-two", role=Role.EDITOR)
    comment_create(by=reviewer, body="Is the 2019 figure the right base? @erin-editor", verdict=verdict, escalate=True)
    assert kinds(editor) == ["mention"]  # mentioned and an editor: told once
    assert kinds(other_editor) == ["escalation"] and kinds(admin_user) == ["escalation"]
    assert kinds(reviewer) == []
    assert Comment.objects.get().verdict == verdict and Comment.objects.get().escalated


def test_who_may_comment_and_what(group, integration, reviewer):
    with pytest.raises(PermissionDenied):
        comment_create(by=integration, body="Read-only.", group=group)
    with pytest.raises(InvalidInput):
        comment_create(by=reviewer, body="   ", group=group)
    with pytest.raises(InvalidInput):
        comment_create(by=reviewer, body="x" * 10_001, group=group)
    assert not Comment.objects.exists()


def test_assignments_and_verdicts_to_approve_notify(group, editor, reviewer, admin_user, ratings):
    claim = group.claims.get()
    claim_assign(claim=claim, assignee=reviewer, by=editor)
    assert kinds(reviewer) == ["assignment"]
    assert Notification.objects.get(recipient=reviewer).claim == claim
    verdict = Verdict.objects.create(group=group, reviewer=reviewer, rating=ratings[0], rationale="Budget says €9m.")
    verdict_submit(verdict=verdict, by=reviewer)
    assert kinds(editor) == ["approval"] and kinds(admin_user) == ["approval"]
    assert kinds(reviewer) == ["assignment"]  # the author is not asked to approve their own verdict
    claim_assign(claim=claim, assignee=editor, by=editor)  # assigning yourself: no notification
    assert kinds(editor) == ["approval"]


def test_notifications_are_emailed_once_when_switched_on(
    group, editor, reviewer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WORKBENCH = {**settings.WORKBENCH, "NOTIFY_EMAIL": True}
    reviewer.email = "rob@newsroom.example"
    reviewer.save(update_fields=["email"])
    from discussion import tasks

    monkeypatch.setattr(tasks.notification_email_task, "delay", lambda pk: tasks.notification_email_task(pk))
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(by=editor, body="@rob-reviewer can you check the source?", group=group)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rob@newsroom.example"] and "mentioned you" in mail.outbox[0].body
    note = Notification.objects.get(recipient=reviewer)
    assert note.emailed_at is not None
    assert notification_email_send(notification_id=note.pk) is False and len(mail.outbox) == 1  # redelivered: nothing


def test_no_email_unless_switched_on(group, editor, reviewer, django_capture_on_commit_callbacks):
    reviewer.email = "rob@newsroom.example"
    reviewer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        comment_create(by=editor, body="@rob-reviewer hi", group=group)
    assert callbacks == [] and mail.outbox == []


# --- pages ---------------------------------------------------------------------------------------


def test_commenting_on_the_group_page(client, group, editor, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("web:group-comment", args=[group.pk]),
        {"body": "Found the **council minutes**. @erin-editor <b onmouseover=x()>hi</b>"},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    content = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert "<strong>council minutes</strong>" in content and "onmouseover" not in content
    assert f'id="comment-{comment.pk}"' in content
    assert kinds(editor) == ["mention"]


def test_commenting_on_a_verdict_from_the_page(client, group, editor, reviewer):
    verdict = Verdict.objects.create(group=group, reviewer=reviewer)
    client.force_login(editor)
    client.post(reverse("web:verdict-comment", args=[verdict.pk]), {"body": "Needs a second source.", "escalate": "1"})
    content = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    thread = content.split(f'id="verdict-comments-{verdict.pk}"')[1].split("</section>")[0]
    assert "Needs a second source." in thread and "escalated to editors" in thread


def test_the_group_page_makes_as_many_queries_for_20_comments_as_for_2(
    client, group, editor, reviewer, django_assert_max_num_queries
):
    verdict = Verdict.objects.create(group=group, reviewer=reviewer)
    for i in range(2):
        comment_create(by=reviewer, body=f"comment {i}", group=group)
        comment_create(by=editor, body=f"on the verdict {i}", verdict=verdict)
    client.force_login(editor)
    url = reverse("web:group-detail", args=[group.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    for i in range(20):
        comment_create(by=UserFactory(role=Role.REVIEWER), body=f"more {i}", group=group)
        comment_create(by=reviewer, body=f"verdict {i}", verdict=verdict)
    with django_assert_max_num_queries(len(small.captured_queries)):
        content = client.get(url).content.decode()
    assert content.count('class="comment"') == 44


def test_the_bell_counts_unread_and_the_list_opens_and_marks_read(client, group, editor, reviewer):
    comment = comment_create(by=editor, body="@rob-reviewer please look", group=group)
    comment_create(by=editor, body="@rob-reviewer and this", group=group)
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    assert 'aria-label="Notifications, 2 unread"' in page and '<span class="bell-count">2</span>' in page
    listing = client.get(reverse("web:notification-list")).content.decode()
    assert listing.count("is-unread") == 2 and "erin-editor mentioned you" in listing
    first = Notification.objects.get(comment=comment)
    response = client.post(reverse("web:notification-open", args=[first.pk]))
    assert response["Location"] == reverse("web:group-detail", args=[group.pk]) + f"#comment-{comment.pk}"
    assert 'aria-label="Notifications, 1 unread"' in client.get("/").content.decode()
    client.post(reverse("web:notifications-read"))
    page = client.get("/").content.decode()
    assert 'aria-label="Notifications, 0 unread"' in page and "bell-count" not in page


def test_someone_elses_notification_cannot_be_opened(client, group, editor, reviewer):
    comment_create(by=editor, body="@rob-reviewer private", group=group)
    client.force_login(editor)
    note = Notification.objects.get(recipient=reviewer)
    assert client.post(reverse("web:notification-open", args=[note.pk])).status_code == 404
    client.post(reverse("web:notifications-read"))
    note.refresh_from_db()
    assert note.read_at is None
