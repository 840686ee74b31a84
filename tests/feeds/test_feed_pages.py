"""The feeds page (per feed: last poll, new articles, errors, next poll), adding a feed and pasting
an article URL in the web UI, and the same through the API."""

import pytest
from django.core.management import call_command

from articles.models import Article, Outlet
from feeds.models import ArticlePage, Feed
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_feeds_page_shows_health_per_feed(site, feed_settings, client, reviewer, django_assert_max_num_queries):
    call_command("add_feed", site.url("/rss.xml"), "--outlet", "Harbour Herald")
    call_command("add_feed", site.url("/gone.xml"), "--outlet", "Harbour Herald")
    call_command("poll_feeds", "--sync", "--no-progress")
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):  # session, user, roles, feeds with counts, problem pages, pasted pages
        page = client.get("/feeds/").content.decode()
    rss, gone = Feed.objects.get(url=site.url("/rss.xml")), Feed.objects.get(url=site.url("/gone.xml"))
    row = page[page.index(f'data-feed="{rss.pk}"') :]
    row = row[: row.index("</tr>")]
    assert ">10<" in row  # new entries at the last poll
    assert ">5<" in row  # articles imported
    assert "2 · 3" in row  # waiting (slow, missing: retried) · failed (huge, pdf, robots)
    assert rss.last_polled_at.strftime("%H:%M:%S") in row and rss.next_poll_at.strftime("%H:%M:%S") in row
    gone_row = page[page.index(f'data-feed="{gone.pk}"') :]
    assert "HTTP 404 (not found)" in gone_row[: gone_row.index("</tr>")]
    for reason in ("response too large", "not an HTML page (application/pdf)", "disallowed by the site", "timed out"):
        assert reason in page
    assert "Poll now" not in page and "Follow a feed" not in page  # reviewers read only


def test_editor_adds_a_feed_and_pastes_an_article_url(
    site, feed_settings, client, editor, django_capture_on_commit_callbacks, monkeypatch
):
    from feeds import tasks

    queued = []
    monkeypatch.setattr(tasks.feed_poll_task, "delay", lambda pk: queued.append(("poll", pk)))
    monkeypatch.setattr(tasks.article_page_fetch_task, "delay", lambda pk: queued.append(("page", pk)))
    outlet = Outlet.objects.create(name="Harbour Herald")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/feeds/new/", {"outlet": outlet.pk, "url": site.url("/atom.xml"), "interval_seconds": 600}
        )
    feed = Feed.objects.get()
    assert response.status_code == 302 and feed.interval_seconds == 600 and queued == [("poll", feed.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/articles/fetch/", {"url": site.url("/news/bridge-closure")})
    page = ArticlePage.objects.get(feed=None)
    assert queued[-1] == ("page", page.pk)
    tasks.article_page_fetch_task(page.pk)  # what the worker does
    article = Article.objects.get(url=site.url("/news/bridge-closure"))
    assert article.byline == "Tom Berg" and article.outlet is None  # no outlet claims 127.0.0.1
    # pasting it again goes straight to the article
    response = client.post("/articles/fetch/", {"url": site.url("/news/bridge-closure")})
    assert response.status_code == 302 and response["Location"] == f"/articles/{article.pk}/"
    # a bad URL is refused with the reason, nothing queued
    response = client.post("/articles/fetch/", {"url": "http://10.0.0.7/admin"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "private address" in response.json()["message"]


def test_api_feeds(site, feed_settings, editor, integration, settings):
    outlet = Outlet.objects.create(name="Harbour Herald")
    api = token_client(editor)
    created = api.post("/api/v1/feeds/", {"url": site.url("/rss1.xml"), "outlet": outlet.pk}, format="json")
    assert created.status_code == 201 and created.json()["last_status"] == "new"
    assert (
        token_client(integration)
        .post("/api/v1/feeds/", {"url": site.url("/x.xml"), "outlet": outlet.pk}, format="json")
        .status_code
        == 403
    )
    assert (
        api.post("/api/v1/feeds/", {"url": site.url("/rss1.xml"), "outlet": outlet.pk}, format="json").json()["detail"]
        == "This feed is followed already."
    )
    too_often = api.post(
        "/api/v1/feeds/", {"url": site.url("/rss.xml"), "outlet": outlet.pk, "interval_seconds": 5}, format="json"
    )
    assert too_often.status_code == 400
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": []}
    refused = api.post("/api/v1/feeds/", {"url": site.url("/atom.xml"), "outlet": outlet.pk}, format="json")
    assert refused.status_code == 400 and "loopback" in refused.json()["detail"]
    feed_id = created.json()["id"]
    call_command("poll_feeds", "--sync", "--no-progress")  # refused now: the allow-list was emptied
    detail = token_client(integration).get(f"/api/v1/feeds/{feed_id}/").json()
    assert detail["last_status"] == "error" and "loopback" in detail["last_error"]


def test_admin_feed_add_goes_through_the_service(client, editor, django_capture_on_commit_callbacks):
    outlet = Outlet.objects.create(name="Harbour Herald")
    client.force_login(editor)  # editors manage feeds in the admin too
    refused = client.post(
        "/admin/feeds/feed/add/",
        {"outlet": outlet.pk, "url": "http://169.254.169.254/latest/", "interval_seconds": 900, "is_active": "on"},
    )
    assert refused.status_code == 200 and b"metadata" in refused.content and not Feed.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        added = client.post(
            "/admin/feeds/feed/add/",
            {"outlet": outlet.pk, "url": "harbour.example/rss.xml", "interval_seconds": 900, "is_active": "on"},
        )
    feed = Feed.objects.get()
    assert added.status_code == 302 and feed.url == "https://harbour.example/rss.xml" and feed.created_by == editor
    assert len(callbacks) == 1  # its first poll, queued after commit
