"""Feeds, article pages and revisions: the services every interface (web UI, API, admin, commands,
tasks) calls. Polls and fetches claim their row with a conditional UPDATE, so a redelivered task or
two workers never do the same work twice; failures are recorded on the row (with a reason) and
retried with backoff by the sweep; queued work is sent after commit."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.roles import require
from articles.formats import ImportRecord
from articles.models import Article, ImportBatch, Outlet
from articles.services import article_update_text, articles_import, import_batch_create
from articles.text import content_hash, normalize_text, normalize_url
from core import outbound
from core.errors import InvalidInput

from .fetching import FetchError, feed_parse, page_extract, polite_get
from .models import ArticlePage, ArticleSource, Feed

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)  # a poll or fetch "running" longer than this is retried
SWEEP_LIMIT = 200


def _conf(name: str):
    return settings.WORKBENCH[name]


def _check_url(url: str, field: str = "url") -> str:
    url = (url or "").strip()
    try:
        outbound.url_check(url, resolve=False)  # checked again, after resolution, on every request
    except outbound.OutboundError as exc:
        raise InvalidInput(f"This URL cannot be fetched: {exc.message}.", field=field) from None
    return url


def _person(user):
    """A user row, or None for the operator of a management command."""
    return user if getattr(user, "pk", None) else None


def _on_commit(task, *args) -> None:
    def send():
        try:
            task.delay(*args)
        except Exception as exc:  # broker down: the sweep queues it again (rows stay due)
            logger.warning("could not queue %s%s: %s", task.name, args, exc)

    transaction.on_commit(send)


# --- feeds -----------------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, by, url: str, outlet: Outlet, interval_seconds: int | None = None, title: str = "") -> Feed:
    require(by, "outlet.manage", "add feeds")
    url = _check_url(url)
    interval = int(interval_seconds or _conf("FEEDS_DEFAULT_INTERVAL"))
    if interval < 60:
        raise InvalidInput("Poll a feed at most once a minute (interval ≥ 60 s).", field="interval_seconds")
    if Feed.objects.filter(url=url).exists():
        raise InvalidInput("This feed is followed already.", field="url")
    feed = Feed.objects.create(
        outlet=outlet,
        url=url,
        interval_seconds=interval,
        title=(title or "")[:500],
        created_by=_person(by),
        next_poll_at=timezone.now(),
    )
    from .tasks import feed_poll_task

    _on_commit(feed_poll_task, feed.pk)
    return feed


@transaction.atomic
def feed_update(*, feed: Feed, by, interval_seconds: int | None = None, is_active: bool | None = None) -> Feed:
    require(by, "outlet.manage", "change feeds")
    if interval_seconds is not None:
        if int(interval_seconds) < 60:
            raise InvalidInput("Poll a feed at most once a minute (interval ≥ 60 s).", field="interval_seconds")
        feed.interval_seconds = int(interval_seconds)
    if is_active is not None:
        feed.is_active = bool(is_active)
        if feed.is_active:
            feed.next_poll_at = timezone.now()
    feed.save(update_fields=["interval_seconds", "is_active", "next_poll_at"])
    return feed


def feed_poll_request(*, feed: Feed, by) -> None:
    """Poll this feed now (web UI and API button)."""
    require(by, "outlet.manage", "poll feeds")
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now())
    from .tasks import feed_poll_task

    with transaction.atomic():
        _on_commit(feed_poll_task, feed.pk)


def feed_poll(*, feed_id: int, force: bool = False) -> tuple[Feed, list[int]] | None:
    """Fetch a feed (conditional GET) and record its new entries as pages to fetch. Returns the
    feed and the ids of new pages, or None if the feed was not due (or is being polled)."""
    now = timezone.now()
    due = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    claim = Feed.objects.filter(Q() if force else due, pk=feed_id, is_active=True)
    # While polling, next_poll_at is pushed ahead: another worker skips it, a crash retries it later.
    if claim.update(next_poll_at=now + STUCK_AFTER) != 1:
        return None
    feed = Feed.objects.select_related("outlet").get(pk=feed_id)
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    new_ids: list[int] = []
    try:
        fetched = polite_get(feed.url, max_bytes=_conf("FEEDS_MAX_FEED_BYTES"), headers=headers)
        if fetched.status == 304:
            feed.last_status, feed.last_new_entries = Feed.Status.NOT_MODIFIED, 0
        else:
            title, entries = feed_parse(fetched.body, fetched.headers.get("content-type", ""))
            new_ids = _pages_from_entries(feed, entries)
            feed.title = feed.title or title
            feed.etag = fetched.headers.get("etag", "")[:500]
            feed.last_modified = fetched.headers.get("last-modified", "")[:100]
            feed.last_status, feed.last_new_entries = Feed.Status.OK, len(new_ids)
            feed.entries_total = ArticlePage.objects.filter(feed=feed).count()
        feed.last_error, feed.consecutive_failures = "", 0
        feed.next_poll_at = now + timedelta(seconds=feed.interval_seconds)
    except Exception as exc:  # noqa: BLE001 — a bad feed records why and waits; it never stalls the others
        if not isinstance(exc, FetchError):
            logger.exception("feed %s: unexpected error", feed_id)
            exc = FetchError(f"unexpected error ({type(exc).__name__}); see the worker log")
        feed.last_status, feed.last_error, feed.last_new_entries = Feed.Status.ERROR, exc.reason[:500], 0
        feed.consecutive_failures += 1
        backoff = feed.interval_seconds * 2 ** min(feed.consecutive_failures - 1, 6)
        feed.next_poll_at = now + timedelta(seconds=min(backoff, 86400))
    feed.last_polled_at = now
    feed.save(
        update_fields=[
            "title",
            "etag",
            "last_modified",
            "last_status",
            "last_error",
            "consecutive_failures",
            "last_new_entries",
            "entries_total",
            "next_poll_at",
            "last_polled_at",
        ]
    )
    from .tasks import article_page_fetch_task

    with transaction.atomic():
        for pk in new_ids:
            _on_commit(article_page_fetch_task, pk)
    return feed, new_ids


def _pages_from_entries(feed: Feed, entries) -> list[int]:
    known = set(
        ArticlePage.objects.filter(feed=feed, guid__in=[e.guid for e in entries]).values_list("guid", flat=True)
    )
    fresh, seen = [], set()
    for entry in entries:
        if entry.guid in known or entry.guid in seen:
            continue
        seen.add(entry.guid)
        fresh.append(
            ArticlePage(
                feed=feed,
                outlet=feed.outlet,
                guid=entry.guid,
                url=entry.url,
                title=entry.title,
                byline=entry.byline,
                published_at=entry.published_at,
            )
        )
    if not fresh:
        return []
    ArticlePage.objects.bulk_create(fresh, ignore_conflicts=True)  # a concurrent poll may have added some
    return list(
        ArticlePage.objects.filter(
            feed=feed, guid__in=[p.guid for p in fresh], status=ArticlePage.Status.PENDING, attempts=0
        ).values_list("id", flat=True)
    )


# --- article pages ----------------------------------------------------------------------------


def article_page_request(*, by, url: str, outlet: Outlet | None = None) -> ArticlePage:
    """An editor pasted an article URL: fetch and import it (by a worker)."""
    require(by, "article.write", "import articles")
    url = _check_url(url)
    existing = Article.objects.filter(normalized_url=normalize_url(url)).first()
    with transaction.atomic():
        page = ArticlePage.objects.create(
            url=url,
            outlet=outlet,
            requested_by=_person(by),
            guid="",
            status=ArticlePage.Status.DUPLICATE if existing else ArticlePage.Status.PENDING,
            article=existing,
        )
        if existing is None:
            from .tasks import article_page_fetch_task

            _on_commit(article_page_fetch_task, page.pk)
    return page


def article_page_fetch(*, page_id: int) -> ArticlePage | None:
    """Fetch one page and import its article. None if the page was not due (or taken)."""
    now = timezone.now()
    claimed = ArticlePage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), pk=page_id, status=ArticlePage.Status.PENDING
    ).update(status=ArticlePage.Status.FETCHING, attempts=F("attempts") + 1, next_attempt_at=now + STUCK_AFTER)
    if claimed != 1:
        return None
    page = ArticlePage.objects.select_related("feed__outlet", "outlet").get(pk=page_id)
    try:
        return _fetch_and_import(page)
    except Exception as exc:  # noqa: BLE001 — recorded on the page (and retried), never lost in a task log
        logger.exception("page %s: unexpected error", page_id)
        return _page_failed(page, FetchError(f"unexpected error ({type(exc).__name__}); see the worker log"))


def _fetch_and_import(page: ArticlePage) -> ArticlePage:
    known = Article.objects.filter(normalized_url=normalize_url(page.url)).first()
    if known is not None:
        return _page_done(page, ArticlePage.Status.DUPLICATE, article=known)
    try:
        fetched = polite_get(page.url, max_bytes=_conf("FEEDS_MAX_PAGE_BYTES"))
        if fetched.status == 304:
            raise FetchError("HTTP 304 without a conditional request", retry=False)
        extracted = page_extract(fetched)
    except FetchError as exc:
        return _page_failed(page, exc)
    outlet = page.outlet or (page.feed.outlet if page.feed else None)
    record = ImportRecord(
        file=page.url[:200],
        row=None,
        data={
            "headline": extracted.headline or page.title,
            "body": extracted.body,
            "url": page.url,
            "byline": extracted.byline or page.byline,
            "published_at": page.published_at.isoformat() if page.published_at else extracted.published_at,
            "outlet": outlet.name if outlet else "",
        },
    )
    batch = import_batch_create(
        by=page.requested_by,
        source_name=f"web: {page.url}",
        format=ImportBatch.Format.WEB,
        default_outlet=outlet,
        capability="article.write",
    )
    batch = articles_import(batch=batch, records=[record])
    article = Article.objects.filter(
        Q(normalized_url=normalize_url(page.url)) | Q(content_hash=content_hash(normalize_text(extracted.body)))
    ).first()
    if batch.created_count and article is not None:
        ArticleSource.objects.update_or_create(
            article=article,
            defaults={
                "url": page.url,
                "etag": fetched.headers.get("etag", "")[:500],
                "last_modified": fetched.headers.get("last-modified", "")[:100],
                "fetched_at": timezone.now(),
                "next_fetch_at": timezone.now() + timedelta(seconds=_conf("REFETCH_INTERVAL")),
                "last_result": "fetched",
            },
        )
        return _page_done(page, ArticlePage.Status.IMPORTED, article=article)
    if batch.duplicate_count and article is not None:
        return _page_done(page, ArticlePage.Status.DUPLICATE, article=article)
    reason = batch.errors[0]["message"] if batch.errors else (batch.message or "could not be imported")
    return _page_failed(page, FetchError(f"import refused it: {reason}"[:500], retry=False))


def _page_done(page: ArticlePage, status: str, *, article: Article) -> ArticlePage:
    page.status, page.article, page.error, page.next_attempt_at = status, article, "", None
    page.save(update_fields=["status", "article", "error", "next_attempt_at", "changed_at"])
    return page


def _page_failed(page: ArticlePage, exc: FetchError) -> ArticlePage:
    retry = exc.retry and page.attempts < _conf("FEEDS_PAGE_MAX_ATTEMPTS")
    page.error = exc.reason[:500]
    if retry:  # 60 s, 120 s, 240 s, ... (the sweep queues it when due)
        page.status = ArticlePage.Status.PENDING
        page.next_attempt_at = timezone.now() + timedelta(seconds=_conf("FEEDS_RETRY_BASE") * 2 ** (page.attempts - 1))
    else:
        page.status, page.next_attempt_at = ArticlePage.Status.FAILED, None
    page.save(update_fields=["status", "error", "next_attempt_at", "changed_at"])
    return page


# --- revisions --------------------------------------------------------------------------------


def article_refetch_request(*, article: Article, by) -> ArticleSource:
    """Fetch this article again now (the button in the article view, the API)."""
    require(by, "article.write", "re-fetch articles")
    source = _source_for(article)
    articles_refetch_enqueue(article_ids=[article.pk])
    return source


def articles_refetch_enqueue(*, article_ids: list[int]) -> int:
    """Make these articles due for a re-fetch now and queue them (after commit). Articles with a
    URL but no source yet get one; articles without a URL are skipped. Returns how many."""
    from .tasks import article_refetch_task

    queued = 0
    with transaction.atomic():
        for article in Article.objects.filter(pk__in=article_ids).only("id", "url"):
            try:
                source = _source_for(article)
            except InvalidInput:
                continue
            ArticleSource.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now())
            _on_commit(article_refetch_task, article.pk)
            queued += 1
    return queued


def _source_for(article: Article) -> ArticleSource:
    source = ArticleSource.objects.filter(article=article).first()
    if source is not None:
        return source
    if not article.url:
        raise InvalidInput("This article has no URL to fetch it from.", field="url")
    _check_url(article.url)
    try:
        with transaction.atomic():
            return ArticleSource.objects.create(article=article, url=article.url, next_fetch_at=timezone.now())
    except IntegrityError:
        return ArticleSource.objects.get(article=article)


def article_refetch(*, article_id: int, force: bool = False) -> str | None:
    """Fetch an article's page again; a changed text becomes a new revision through
    articles.services.article_update_text (the edit path: claims re-anchored, extraction queued,
    `article.revised` sent). Returns what happened ('unchanged', 'revised to N', or the failure),
    None if it was not due or is being fetched."""
    now = timezone.now()
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return None
    if force:
        try:
            _source_for(article)
        except InvalidInput as exc:
            return str(exc)
    free = Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - STUCK_AFTER)
    due = Q() if force else Q(next_fetch_at__lte=now)
    if ArticleSource.objects.filter(free & due, article_id=article_id).update(fetching_since=now) != 1:
        return None
    source = ArticleSource.objects.get(article_id=article_id)
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    try:
        fetched = polite_get(source.url, max_bytes=_conf("FEEDS_MAX_PAGE_BYTES"), headers=headers)
        if fetched.status == 304:
            result = "unchanged (not modified)"
        else:
            page = page_extract(fetched)
            if len(page.body) > _conf("IMPORT_MAX_ARTICLE_CHARS"):
                raise FetchError(
                    f"article text is longer than {_conf('IMPORT_MAX_ARTICLE_CHARS')} characters", retry=False
                )
            source.etag = fetched.headers.get("etag", "")[:500]
            source.last_modified = fetched.headers.get("last-modified", "")[:100]
            before = article.revision
            revised = article_update_text(article=article, headline=page.headline or article.headline, body=page.body)
            result = f"revised to {revised.revision}" if revised.revision != before else "unchanged"
        source.failures = 0
    except FetchError as exc:
        result, source.failures = exc.reason, source.failures + 1
    except InvalidInput as exc:
        result, source.failures = f"not revised: {exc}", source.failures + 1
    except IntegrityError:
        result, source.failures = "not revised: another article already has this text", source.failures + 1
    young = article.created_at > now - timedelta(days=_conf("REFETCH_MAX_AGE_DAYS"))
    interval = _conf("REFETCH_INTERVAL") * 2 ** min(source.failures, 5)
    source.next_fetch_at = now + timedelta(seconds=interval) if young else None
    source.fetched_at, source.fetching_since, source.last_result = now, None, result[:500]
    source.save(
        update_fields=[
            "etag",
            "last_modified",
            "failures",
            "next_fetch_at",
            "fetched_at",
            "fetching_since",
            "last_result",
        ]
    )
    return result


# --- the sweep (beat) -------------------------------------------------------------------------


def feeds_sweep() -> dict[str, int]:
    """Queue what is due: feed polls, page fetches (new, retries with backoff, stuck ones) and
    re-fetches of known articles. Also the outbox: work whose message was lost is queued again."""
    from .tasks import article_page_fetch_task, article_refetch_task, feed_poll_task

    now = timezone.now()
    stuck = ArticlePage.objects.filter(status=ArticlePage.Status.FETCHING, next_attempt_at__lte=now)
    stuck.update(status=ArticlePage.Status.PENDING)
    feeds = list(
        Feed.objects.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now), is_active=True).values_list(
            "id", flat=True
        )[:SWEEP_LIMIT]
    )
    pages = list(
        ArticlePage.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=ArticlePage.Status.PENDING
        ).values_list("id", flat=True)[:SWEEP_LIMIT]
    )
    refetch = list(
        ArticleSource.objects.filter(
            Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - STUCK_AFTER), next_fetch_at__lte=now
        )
        .order_by("next_fetch_at")
        .values_list("article_id", flat=True)[:SWEEP_LIMIT]
    )
    for task, ids in ((feed_poll_task, feeds), (article_page_fetch_task, pages), (article_refetch_task, refetch)):
        for pk in ids:
            try:
                task.delay(pk)
            except Exception as exc:
                logger.warning("feeds sweep could not queue %s(%s): %s", task.name, pk, exc)
                break
    return {"feeds": len(feeds), "pages": len(pages), "refetch": len(refetch)}
