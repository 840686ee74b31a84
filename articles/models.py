from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from simple_history.models import HistoricalRecords

from core.validation import HttpURLValidator

# The range of an article's publication time. Outside it PostgreSQL stores years like 0 (BC) or
# 10000 that Python cannot read back, so every page listing the article would fail.
PUBLISHED_AT_MIN = datetime(1800, 1, 1, tzinfo=UTC)
PUBLISHED_AT_MAX = datetime(2100, 1, 1, tzinfo=UTC)


def published_at_normalize(value: datetime) -> datetime:
    """Aware (naive values are in the default time zone) and in UTC."""
    if dj_timezone.is_naive(value):
        value = dj_timezone.make_aware(value, dj_timezone.get_default_timezone())
    return value.astimezone(UTC)


def published_at_problem(value: datetime) -> str | None:
    """Why `value` cannot be an article's publication time (PostgreSQL would store a year 0 or
    10000 that no read could handle), or None. The model's check constraint says the same."""
    try:
        utc = published_at_normalize(value)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not PUBLISHED_AT_MIN <= utc < PUBLISHED_AT_MAX:
        return f"out of range: must be between {PUBLISHED_AT_MIN:%Y-%m-%d} and {PUBLISHED_AT_MAX:%Y-%m-%d} (UTC)"
    return None


def validate_published_at(value) -> None:
    if value is not None and (problem := published_at_problem(value)):
        raise ValidationError(f"published_at is {problem}.", code="out_of_range")


class Outlet(models.Model):
    """A news organisation. Managed by editors (articles/outlets.py); its domains give imported
    articles with a URL their outlet, its feeds (feeds app) bring articles in by themselves."""

    name = models.CharField(max_length=200, unique=True)
    homepage = models.URLField(blank=True, validators=[HttpURLValidator()])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="outlet_name_not_empty")]

    def __str__(self):
        return self.name


class OutletDomain(models.Model):
    """A host name of an outlet (lower case, no www.): an article URL on it or on a subdomain of it
    belongs to the outlet. One outlet per domain."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        AUTO = "auto", "Detect from file name"
        TXT = "txt", "Plain text (first line headline)"
        CSV = "csv", "CSV"
        JSONL = "jsonl", "JSON Lines"
        ZIP = "zip", "ZIP archive"
        API = "api", "REST API"
        WEB = "web", "Web page (a feed entry or a pasted URL)"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The outbox: set when the import task was handed to the broker. A pending batch with none (the
    # broker was down), or an old one (the message was lost), is sent again by the sweep.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    source_name = models.CharField(max_length=500, help_text="File name(s) or API client.")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.AUTO)
    upload = models.FileField(upload_to="imports/%Y/%m/", blank=True, help_text="Uploaded file, kept until processed.")
    default_outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    total = models.PositiveIntegerField(default=0, help_text="Records seen so far.")
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    # [{"file": ..., "row": ..., "field": ..., "message": ...}, ...]
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True, help_text="Why the whole batch failed, if it did.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import #{self.pk} {self.source_name}"

    @property
    def processed(self) -> int:
        return self.created_count + self.updated_count + self.duplicate_count + self.failed_count


class Article(models.Model):
    class ExtractionStatus(models.TextChoices):
        PENDING = "pending", "Pending"  # waiting to be queued (the outbox)
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    url = models.URLField(max_length=2000, blank=True, validators=[HttpURLValidator()])
    # Lower-cased host, no scheme/fragment/tracking parameters/trailing slash; NULL when there is no URL.
    normalized_url = models.CharField(max_length=2000, null=True, blank=True, editable=False)
    external_id = models.CharField(max_length=255, null=True, blank=True, help_text="The id the source system uses.")
    headline = models.CharField(max_length=1000)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True, validators=[validate_published_at])
    language = models.CharField(max_length=12, default="en")
    # The canonical plain text (NFC, tags stripped, paragraphs separated by blank lines). Every
    # claim offset refers to it, in Unicode code points.
    body = models.TextField()
    # sha256 of the body with case and white space folded: the same text from two feeds is one article.
    content_hash = models.CharField(max_length=64, editable=False)
    revision = models.PositiveIntegerField(default=1, help_text="Incremented whenever the text changes.")
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    extraction_status = models.CharField(
        max_length=10, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING, db_index=True
    )
    extraction_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the extraction status last changed."
    )
    extraction_attempts = models.PositiveSmallIntegerField(default=0)
    extraction_error = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    extracted_revision = models.PositiveIntegerField(null=True, blank=True)
    extractor_version = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=["extraction_changed_at", "extraction_attempts", "updated_at"])

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="article_content_hash_unique"),
            models.UniqueConstraint(
                fields=["normalized_url"],
                condition=Q(normalized_url__isnull=False),
                name="article_normalized_url_unique",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=Q(external_id__isnull=False), name="article_external_id_unique"
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="article_revision_positive"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(published_at__gte=PUBLISHED_AT_MIN, published_at__lt=PUBLISHED_AT_MAX),
                name="article_published_at_in_range",
                violation_error_message="published_at must be between 1800-01-01 and 2100-01-01 (UTC).",
            ),
        ]
        indexes = [models.Index(fields=["outlet", "published_at"])]

    def __str__(self):
        return self.headline
