"""Discussion in the browser (issue 18 item 1): a reviewer comments on a claim and mentions an
editor; the editor's bell shows it, the notification opens the comment; Markdown shows as
formatting, HTML typed into a comment is never run."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim
from tests.browser.axe import axe_violations
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory

pytestmark = pytest.mark.browser


def test_a_mention_reaches_the_editors_bell(session, transactional_db, editor, reviewer):
    group = ClaimGroupFactory(label="The barrier will protect 40,000 homes")
    article = ArticleFactory(body="“It will protect 40,000 homes,” the mayor said.")
    ClaimFactory(article=article, start=0, end=31, group=group, status=Claim.Status.ACCEPTED)
    ed = session(editor)
    expect(ed.page.locator("#bell")).to_have_attribute("aria-label", "Notifications, 0 unread")

    rev = session(reviewer)
    rev.page.goto(f"/groups/{group.pk}/")
    rev.page.locator("#group-comments-body").fill(
        'The **2019 census** says 38,000 homes. @erin-editor can you check?\n\n<img src=x onerror="window.__pwned=1">'
    )
    rev.page.get_by_role("button", name="Comment").first.click()
    comment = rev.page.locator("#group-comments .comment").first
    expect(comment.locator(".comment-body strong")).to_have_text("2019 census")
    expect(comment.locator(".at-mention")).to_have_text("@erin-editor")
    assert rev.page.evaluate("window.__pwned") is None and comment.locator(".comment-body img").count() == 0
    rev.shot("25-comment")

    ed.page.reload()
    expect(ed.page.locator("#bell .bell-count")).to_have_text("1")
    ed.page.locator("#bell").click()
    expect(ed.page.locator(".notification.is-unread")).to_have_count(1)
    assert axe_violations(ed.page) == []
    ed.shot("26-notifications")
    ed.page.get_by_role("button", name=re.compile("rob-reviewer mentioned you")).click()
    expect(ed.page).to_have_url(re.compile(rf"/groups/{group.pk}/#comment-\d+$"))
    expect(ed.page.locator("#bell .bell-count")).to_have_count(0)
    assert axe_violations(ed.page) == []
