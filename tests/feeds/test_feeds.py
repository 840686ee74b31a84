"""Feeds end to end against a news site on 127.0.0.1 (tests/feeds/site.py): add a feed, poll it,
fetch its pages, and the failures of the bad ones, each with its reason."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Outlet
from core.errors import InvalidInput
from feeds import services
from feeds.fetching import feed_parse
from feeds.models import ArticlePage, ArticleSource, Feed

pytestmark = pytest.mark.django_db

FURNITURE = [
    "Read More",
    "Share on",
    "Comments are closed",
    "newsletter",
    "All rights reserved",
    "Cookie",
    "Politics",
    "Ferry timetable",
]


def _poll(site, path="/rss.xml", outlet="Harbour Herald"):
    call_command("add_feed", site.url(path), "--outlet", outlet)
    call_command("poll_feeds", "--sync", "--no-progress")
    return Feed.objects.get(url=site.url(path))


def test_add_feed_and_poll_imports_articles_with_outlet_date_byline_and_no_furniture(site, feed_settings):
    feed = _poll(site)
    assert (feed.last_status, feed.title, feed.last_new_entries) == ("ok", "Harbour Herald", 10)
    pages = {p.url.removeprefix(site.base): p for p in ArticlePage.objects.filter(feed=feed)}
    assert len(pages) == 10  # the entries without an http(s) link were skipped
    harbour = pages["/news/harbour-plan"].article
    assert harbour.outlet.name == "Harbour Herald" and harbour.headline == "Mayor unveils harbour plan"
    assert harbour.byline == "Jane Doe" and harbour.published_at is not None
    assert harbour.body.startswith("The mayor unveiled the harbour redevelopment plan")
    assert "€7 million" in harbour.body and "\n\n" in harbour.body
    for words in FURNITURE:
        assert words not in harbour.body, words
    assert harbour.extraction_status in ("queued", "pending", "done")
    assert ArticleSource.objects.get(article=harbour).url == site.url("/news/harbour-plan")
    # a redirect is followed; the article keeps the entry's URL
    assert pages["/news/old-url"].status == "imported"
    assert pages["/news/old-url"].article.headline == "School enrolment rises 12 percent"
    # Latin-1, declared in the header and not declared at all
    assert "café Zoë" in pages["/news/cafe-latin1"].article.body
    assert "Óbidos" in pages["/news/cafe-undeclared"].article.body
    assert pages["/news/cafe-latin1"].article.byline == "Zoë Martins"
    # the bad ones: each with its reason, none holding up the others
    expected = {
        "/news/slow": ("pending", "timed out"),  # retried later, with backoff
        "/news/huge": ("failed", "response too large"),
        "/news/missing": ("pending", "HTTP 404 (not found)"),
        "/news/report.pdf": ("failed", "not an HTML page (application/pdf)"),
        "/private/secret": ("failed", "disallowed by the site's robots.txt"),
    }
    for path, (status, reason) in expected.items():
        assert (pages[path].status, pages[path].error[: len(reason)]) == (status, reason), path
    assert Article.objects.count() == 5
    assert not site.hits("/private/secret")  # robots.txt was obeyed: never requested


def test_conditional_get_and_no_duplicates_on_the_next_poll(site, feed_settings):
    feed = _poll(site)
    count = Article.objects.count()
    feed.refresh_from_db()
    assert feed.etag == '"rss-v1"' and feed.last_modified
    result = services.feed_poll(feed_id=feed.pk, force=True)
    assert result[1] == [] and Feed.objects.get(pk=feed.pk).last_status == "not_modified"
    assert site.hits("/rss.xml")[-1]["If-None-Match"] == '"rss-v1"'
    # the feed changes (new ETag): only entries not seen before become pages; the same articles
    # arriving through another feed (Atom) are duplicates, not new articles
    site.routes["/rss.xml"].etag = '"rss-v2"'
    assert services.feed_poll(feed_id=feed.pk, force=True)[1] == []
    call_command("add_feed", site.url("/atom.xml"), "--outlet", "Harbour Herald")
    call_command("poll_feeds", "--sync", "--no-progress", "--feed", str(Feed.objects.get(url=site.url("/atom.xml")).pk))
    atom_pages = ArticlePage.objects.filter(feed__url=site.url("/atom.xml"))
    assert sorted(p.status for p in atom_pages) == ["duplicate", "duplicate"]
    assert Article.objects.count() == count


def test_every_feed_format_is_read_from_bytes(site):
    for path, title, count in [
        ("/rss.xml", "Harbour Herald", 10),
        ("/atom.xml", "Harbour Herald (Atom)", 2),
        ("/rss1.xml", "Harbour Herald (RSS 1.0)", 1),
        ("/rss091.xml", "Harbour Herald (0.91)", 1),
    ]:
        got_title, entries = feed_parse(site.routes[path].body, site.routes[path].content_type)
        assert (got_title, len(entries)) == (title, count), path
        assert all(e.url.startswith(site.base) for e in entries)
    _, (atom,) = feed_parse(site.routes["/atom.xml"].body)[0], feed_parse(site.routes["/atom.xml"].body)[1][:1]
    assert atom.guid == "urn:hh:atom:harbour-plan" and atom.published_at.year == 2026 and atom.byline == "Atom Author"
    assert feed_parse(site.routes["/rss1.xml"].body)[1][0].byline == "RDF Writer"


def test_a_broken_feed_is_an_error_with_backoff_not_a_crash(site, feed_settings):
    call_command("add_feed", site.url("/not-a-feed"), "--outlet", "Harbour Herald")
    call_command("add_feed", site.url("/gone.xml"), "--outlet", "Harbour Herald")
    call_command("poll_feeds", "--sync", "--no-progress")
    broken, gone = Feed.objects.get(url=site.url("/not-a-feed")), Feed.objects.get(url=site.url("/gone.xml"))
    assert broken.last_status == "error" and broken.last_error.startswith("not a feed")
    assert gone.last_status == "error" and gone.last_error == "HTTP 404 (not found)"
    assert gone.next_poll_at > timezone.now() + timedelta(seconds=gone.interval_seconds - 5)
    services.feed_poll(feed_id=gone.pk, force=True)
    gone.refresh_from_db()
    assert gone.consecutive_failures == 2  # the next poll waits twice as long
    assert gone.next_poll_at > timezone.now() + timedelta(seconds=2 * gone.interval_seconds - 5)


def test_failed_pages_are_retried_with_backoff_then_given_up(site, feed_settings):
    feed_settings.WORKBENCH = {**feed_settings.WORKBENCH, "FEEDS_PAGE_MAX_ATTEMPTS": 3}
    outlet = Outlet.objects.create(name="Harbour Herald")
    feed = Feed.objects.create(outlet=outlet, url=site.url("/rss.xml"))
    page = ArticlePage.objects.create(feed=feed, outlet=outlet, guid="g", url=site.url("/news/missing"))
    page = services.article_page_fetch(page_id=page.pk)
    assert (page.status, page.attempts) == ("pending", 1)
    assert timedelta(seconds=55) < page.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert services.article_page_fetch(page_id=page.pk) is None  # not due yet
    for attempt, wait in ((2, 120), (3, None)):
        ArticlePage.objects.filter(pk=page.pk).update(next_attempt_at=timezone.now())
        page = services.article_page_fetch(page_id=page.pk)
        assert page.attempts == attempt
        if wait:
            assert page.status == "pending" and page.next_attempt_at - timezone.now() > timedelta(seconds=wait - 5)
    assert (page.status, page.error) == ("failed", "HTTP 404 (not found)")
    # the page comes back: a new request by an editor imports it
    site.routes["/news/missing"] = site.routes["/news/bridge-closure"]
    from accounts.roles import Role
    from tests.factories import UserFactory

    pasted = services.article_page_request(
        by=UserFactory(role=Role.EDITOR), url=site.url("/news/missing"), outlet=outlet
    )
    assert services.article_page_fetch(page_id=pasted.pk).status == "imported"


def test_feed_and_page_addresses_are_checked_like_webhooks(site, settings, editor):
    """Without the allow-list the site on 127.0.0.1 is refused, at registration and when fetching."""
    outlet = Outlet.objects.create(name="Harbour Herald")
    with pytest.raises(InvalidInput, match="loopback"):
        services.feed_create(by=editor, url=site.url("/rss.xml"), outlet=outlet)
    with pytest.raises(InvalidInput, match="metadata"):
        services.article_page_request(by=editor, url="http://169.254.169.254/latest/meta-data/")
    feed = Feed.objects.create(outlet=outlet, url=site.url("/rss.xml"))  # e.g. allowed earlier, then removed
    services.feed_poll(feed_id=feed.pk, force=True)
    feed.refresh_from_db()
    assert feed.last_status == "error" and "loopback" in feed.last_error
    assert site.log == []  # nothing was requested, not even robots.txt


def test_one_request_at_a_time_per_host_with_the_delay(site, feed_settings):
    feed_settings.WORKBENCH = {**feed_settings.WORKBENCH, "FEEDS_HOST_DELAY": 0.4}
    _poll(site)
    # (a redirect's second hop belongs to the same fetch: /news/old-url → /news/school-enrolment)
    times = [t for path, _, t in site.log if path.startswith("/news/") and path != "/news/school-enrolment"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    # slots are claimed 0.4 s apart; arrival at the server can lag a claim a little on a busy machine
    assert len(times) >= 8 and min(gaps) >= 0.15, gaps
    assert times[-1] - times[0] >= 0.9 * 0.4 * (len(times) - 1), gaps


def test_hostile_feed_values_are_cleaned_or_skipped(site, feed_settings):
    from tests.feeds.site import Route

    feed_settings.WORKBENCH = {**feed_settings.WORKBENCH, "FEEDS_MAX_ENTRIES": 5}
    items = "".join(
        f"<item><title>Bad &#xD800; title {i}\x01</title><link>{site.base}/news/harbour-plan?i={i}</link>"
        f"<guid>{'g' * 3000}{i}</guid><pubDate>not a date</pubDate></item>"
        for i in range(50)
    )
    items += f"<item><title>spaces</title><link>{site.base}/news/a b</link></item>"
    site.routes["/hostile.xml"] = Route(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T&#xDFFF;</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    feed = _poll(site, "/hostile.xml")
    assert feed.last_status == "ok" and feed.last_new_entries == 5  # capped at FEEDS_MAX_ENTRIES
    pages = list(ArticlePage.objects.filter(feed=feed))
    assert all("\ud800" not in p.title and p.guid.startswith("sha256:") and p.published_at is None for p in pages)
    # the same page under five URLs (query strings): one article, the others duplicates by text
    assert sorted(p.status for p in pages).count("imported") == 1
    assert Article.objects.count() == 1
