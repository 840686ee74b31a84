"""Revisions followed: an article changed on the site becomes a new revision through the edit
service; accepted claims stay on their words (moved, or fuzzily re-anchored and marked for review),
claims whose words are gone are kept as orphans and listed; the article view shows the diff;
`article.revised` is sent."""

import pytest
from django.core.management import call_command

from articles.models import Article
from factcheck.models import Claim
from feeds.models import ArticleSource
from webhooks.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

MOVED = "We have waited twenty years for this"
CHANGED = "The project will cost €7 million over three years"
GONE = "similar projects in the region had run over by a third"


def _accepted(article, quote, editor):
    start = article.body.index(quote)
    return Claim.objects.create(
        article=article,
        start=start,
        end=start + len(quote),
        exact=quote,
        origin="human",
        status="accepted",
        decided_by=editor,
        prefix=article.body[max(0, start - 20) : start],
        suffix=article.body[start + len(quote) :][:20],
    )


@pytest.fixture
def harbour(site, feed_settings):
    call_command("add_feed", site.url("/rss.xml"), "--outlet", "Harbour Herald")
    call_command("poll_feeds", "--sync", "--no-progress")
    return Article.objects.get(url=site.url("/news/harbour-plan"))


def test_a_changed_page_becomes_a_revision_with_claims_still_on_their_words(site, harbour, editor, integration, client):
    moved, changed, gone = (_accepted(harbour, q, editor) for q in (MOVED, CHANGED, GONE))
    Webhook.objects.create(url="https://cms.example/hook", events=["article.revised"], owner=integration)
    call_command("refetch_articles", "--sync", "--article", str(harbour.pk), "--no-progress")
    harbour.refresh_from_db()
    assert harbour.revision == 1  # nothing changed yet: no revision

    site.revise_harbour()
    call_command("refetch_articles", "--sync", "--article", str(harbour.pk), "--no-progress")
    harbour.refresh_from_db()
    assert harbour.revision == 2 and harbour.body.startswith("Correction: an earlier version")
    assert harbour.extraction_status in ("pending", "queued")  # extraction runs again
    for claim in (moved, changed, gone):
        claim.refresh_from_db()
    # the same words, moved by the inserted note
    assert (
        harbour.body[moved.start : moved.end] == MOVED and moved.anchor_status == "ok" and moved.article_revision == 2
    )
    # the words changed slightly: re-anchored on the new words, for an editor to confirm
    assert changed.anchor_status == "needs_review"
    assert (
        harbour.body[changed.start : changed.end]
        == changed.exact
        == "The project will cost €7.2 million over three years"
    )
    # the paragraph was removed: kept, accepted, an orphan
    assert (gone.anchor_status, gone.status, gone.exact) == ("orphan", "accepted", GONE)
    delivery = WebhookDelivery.objects.get(event="article.revised")
    assert delivery.payload["data"] == {
        "article_id": harbour.pk,
        "revision": 2,
        "url": harbour.url,
        "orphaned_claim_ids": [gone.pk],
    }
    assert ArticleSource.objects.get(article=harbour).last_result == "revised to 2"

    # the article view: diff of the revision, the claims to check, the re-fetch button
    client.force_login(editor)
    page = client.get(f"/articles/{harbour.pk}/").content.decode()
    assert "Changes from revision 1 to 2" in page
    assert "<del>" in page and "<ins>" in page and ".2" in page
    assert GONE in page and "no longer in the article" in page and "the words changed slightly" in page
    assert f'action="/articles/{harbour.pk}/refetch/"' in page

    # fetched again: the ETag says nothing changed
    call_command("refetch_articles", "--sync", "--article", str(harbour.pk), "--no-progress")
    assert Article.objects.get(pk=harbour.pk).revision == 2
    assert site.hits("/news/harbour-plan")[-1]["If-None-Match"] == '"harbour-v2"'
    assert ArticleSource.objects.get(article=harbour).last_result == "unchanged (not modified)"


def test_the_revision_diff_is_escaped(site, harbour, editor, client):
    from tests.feeds.site import HARBOUR, Route, article_html

    site.routes["/news/harbour-plan"] = Route(
        article_html("Mayor unveils harbour plan", HARBOUR + ["&lt;script&gt;alert(1)&lt;/script&gt; said nobody."])
    )
    call_command("refetch_articles", "--sync", "--article", str(harbour.pk), "--no-progress")
    client.force_login(editor)
    page = client.get(f"/articles/{harbour.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_refetch_button_queues_and_refuses_reviewers(
    site, harbour, editor, reviewer, client, django_capture_on_commit_callbacks, monkeypatch
):
    from feeds import tasks

    queued = []
    monkeypatch.setattr(tasks.article_refetch_task, "delay", lambda pk: queued.append(pk))
    client.force_login(reviewer)
    assert client.post(f"/articles/{harbour.pk}/refetch/").status_code == 403
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/articles/{harbour.pk}/refetch/")
    assert response.status_code == 302 and queued == [harbour.pk]


def test_scheduled_refetch_through_the_sweep(site, harbour, feed_settings, monkeypatch):
    from django.utils import timezone

    from feeds import services, tasks

    sent = []
    for name in ("feed_poll_task", "article_page_fetch_task", "article_refetch_task"):
        monkeypatch.setattr(getattr(tasks, name), "delay", lambda pk, n=name: sent.append((n, pk)))
    assert ("article_refetch_task", harbour.pk) not in sent
    services.feeds_sweep()
    assert ("article_refetch_task", harbour.pk) not in sent  # not due yet (every 6 hours)
    ArticleSource.objects.filter(article=harbour).update(next_fetch_at=timezone.now())
    services.feeds_sweep()
    assert ("article_refetch_task", harbour.pk) in sent
    site.revise_harbour()
    assert services.article_refetch(article_id=harbour.pk) == "revised to 2"
    assert services.article_refetch(article_id=harbour.pk) is None  # not due again: a redelivery does nothing
