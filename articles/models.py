from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Outlet(models.Model):
    """A news organisation. Managed by editors (articles/outlets.py); its domains give imported
    articles with a URL their outlet, its feeds (feeds app) bring articles in by themselves."""

    name = models.CharField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
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
    url = models.URLField(max_length=2000, blank=True)
    # Lower-cased host, no scheme/fragment/tracking parameters/trailing slash; NULL when there is no URL.
    normalized_url = models.CharField(max_length=2000, null=True, blank=True, editable=False)
    external_id = models.CharField(max_length=255, null=True, blank=True, help_text="The id the source system uses.")
    headline = models.CharField(max_length=1000)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    language = models.CharField(max_length=12, default="en")
    # The canonical plain text (NFC, tags stripped, paragraphs separated by blank lines). Every
    # claim offset refers to it, in Unicode code points.
    body = models.TextField()
    # sha256 of the body with case and white space folded: the same text from two feeds is one article.
    content_hash = models.CharField(max_length=64, editable=False)
    revision = models.PositiveIntegerField(default=1, help_text="Incremented whenever the text changes.")
    import_batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    extraction_status = models.CharField(
        max_length=10, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING, db_index=True
    )
    extraction_changed_at = models.DateTimeField(null=True, blank=True, help_text="When the extraction status last changed.")
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
                fields=["normalized_url"], condition=Q(normalized_url__isnull=False), name="article_normalized_url_unique"
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=Q(external_id__isnull=False), name="article_external_id_unique"
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="article_revision_positive"),
        ]
        indexes = [models.Index(fields=["outlet", "published_at"])]

    def __str__(self):
        return self.headline
