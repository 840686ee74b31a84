"""Feeds that outlets publish, the article pages they point to (or that an editor pasted), the
source of every article fetched from the web (for re-fetching revisions), and per-host politeness
state (robots.txt, the next moment a request to the host is allowed)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models import Article, Outlet


class Feed(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Not polled yet"
        OK = "ok", "OK"
        NOT_MODIFIED = "not_modified", "Not modified"
        ERROR = "error", "Error"

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    interval_seconds = models.PositiveIntegerField(default=900, help_text="How often the feed is polled.")
    is_active = models.BooleanField(default=True)
    # conditional GET
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # health, shown on the feeds page
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    last_error = models.CharField(max_length=500, blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(default=0)
    last_new_entries = models.PositiveIntegerField(default=0, help_text="New entries found by the last poll.")
    entries_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outlet__name", "url"]
        constraints = [models.CheckConstraint(condition=Q(interval_seconds__gte=60), name="feed_interval_at_least_60s")]

    def __str__(self):
        return self.title or self.url


class ArticlePage(models.Model):
    """One web page to turn into an article: an entry of a feed, or a URL an editor pasted. Fetched
    by a worker; failures are kept here with their reason and retried with backoff."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be fetched"
        FETCHING = "fetching", "Being fetched"
        IMPORTED = "imported", "Imported"
        DUPLICATE = "duplicate", "Already known"
        FAILED = "failed", "Failed"

    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.CASCADE, related_name="pages")
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    guid = models.CharField(max_length=2000, blank=True, help_text="The entry's id in its feed (else its link).")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=1000, blank=True, help_text="As the feed gives it.")
    byline = models.CharField(max_length=500, blank=True, help_text="As the feed gives it.")
    published_at = models.DateTimeField(null=True, blank=True, help_text="As the feed gives it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    error = models.CharField(max_length=500, blank=True, help_text="Why the last attempt failed.")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "guid"], condition=Q(feed__isnull=False), name="article_page_once_per_feed"
            )
        ]

    def __str__(self):
        return self.url


class ArticleSource(models.Model):
    """Where an article was fetched from, and when it is fetched again to follow revisions."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="source")
    url = models.URLField(max_length=2000)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fetching_since = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=500, blank=True, help_text="unchanged, revised to N, or why it failed.")
    failures = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return self.url


class HostState(models.Model):
    """Politeness per host: its robots.txt (cached) and when the next request to it may start."""

    host = models.CharField(max_length=300, unique=True)
    robots_txt = models.TextField(blank=True)
    robots_status = models.CharField(max_length=16, blank=True, help_text="ok, none (allow all) or unreachable.")
    robots_fetched_at = models.DateTimeField(null=True, blank=True)
    next_request_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.host
