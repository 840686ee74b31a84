from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.validation import HttpURLValidator


class RatingScale(models.Model):
    """A newsroom's rating scale (PolitiFact's six levels, a true/false scale, ...); admins edit it."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    # Two reviewers rate independently, then an editor (None: settings.WORKBENCH["DOUBLE_REVIEW"]).
    double_review = models.BooleanField(
        null=True, blank=True, help_text="Two independent reviews before an editor approves (empty: the default)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_rating_scale"
            )
        ]

    def __str__(self):
        return self.name


class Rating(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(help_text="Position on the scale; lowest first.")
    # ClaimReview's ratingValue; bestRating/worstRating are the scale's max/min.
    value = models.IntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique_per_scale"),
            models.UniqueConstraint(fields=["scale", "order"], name="rating_order_unique_per_scale"),
        ]

    def __str__(self):
        return self.label


class ClaimGroup(models.Model):
    """One claim, many appearances: the mentions (Claim spans) of the same claim across articles."""

    # The claim statement: what was checked, in the newsroom's words (ClaimReview's claimReviewed).
    # It starts as the first mention's text; editors change it with group_statement_update.
    label = models.TextField(help_text="The claim statement in a neutral wording (defaults to the first mention).")
    # Two reviewers rate independently, then an editor (None: the rating scale's choice, then the default).
    double_review = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.label[:80]


class Person(models.Model):
    """Who said it: a named person, or an anonymous description ("a senior official") as one
    article's source. Mentions (Claim.person) point here; the words an article used stay on the
    claim (`speaker`, `speaker_role`). Found by any of its aliases (PersonAlias)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Named person"
        ANONYMOUS = "anonymous", "Anonymous description"

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    description = models.TextField(blank=True, help_text="Who this is (the newsroom's own words).")
    # A merged person stays as a record of the decision and points at the one it was merged into.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_empty"),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="person_not_merged_into_itself"),
        ]

    def __str__(self):
        return self.name


class PersonAlias(models.Model):
    """A name a person goes by (their name, misspellings, other transliterations). `normalized`
    (factcheck.aliases.alias_normalize) is unique per person and, for named people, across all of
    them: one spelling names one person. Anonymous descriptions repeat (many "officials")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=10,
        choices=Person.Kind.choices,
        default=Person.Kind.PERSON,
        help_text="The person's kind (kept here for the uniqueness of named aliases).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        verbose_name_plural = "person aliases"
        ordering = ["person", "text"]
        constraints = [
            models.CheckConstraint(condition=~Q(normalized=""), name="person_alias_not_empty"),
            models.UniqueConstraint(fields=["person", "normalized"], name="person_alias_unique_per_person"),
            models.UniqueConstraint(
                fields=["normalized"], condition=Q(kind="person"), name="person_alias_unique_named"
            ),
        ]

    def __str__(self):
        return self.text


class Claim(models.Model):
    """A span of an article's canonical text: [start, end) in Unicode code points."""

    class Type(models.TextChoices):
        QUANTITY = "quantity", "Quantity / statistic"
        QUOTE = "quote", "Quote"
        ATTRIBUTED = "attributed", "Attributed statement"
        CAUSAL = "causal", "Correlation / causation"
        PREDICTION = "prediction", "Prediction"
        RULE = "rule", "Rule / law"
        OPINION = "opinion", "Opinion"
        OTHER = "other", "Other"

    class Origin(models.TextChoices):
        MACHINE = "machine", "Machine"
        HUMAN = "human", "Human"

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    class Anchor(models.TextChoices):
        OK = "ok", "Anchored"
        NEEDS_REVIEW = "needs_review", "Needs review"
        ORPHAN = "orphan", "Orphaned"

    # Indexes: the extraction worker inserts ~30 candidate rows per article, and every index costs
    # on each insert, so none is duplicated. Claims by article use the span constraint's and the
    # (article, status) index, by status the (status, checkworthiness) one; claim type and speaker
    # are matched by equality only, so they have no LIKE (varchar_pattern_ops) index.
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claims", db_index=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField(help_text="text[start:end] of the article at the time of anchoring.")
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    sentence_start = models.PositiveIntegerField(null=True, blank=True)
    sentence_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_status = models.CharField(max_length=16, choices=Anchor.choices, default=Anchor.OK)
    article_revision = models.PositiveIntegerField(default=1)

    claim_type = models.CharField(max_length=16, choices=Type.choices, default=Type.OTHER)
    checkworthiness = models.FloatField(null=True, blank=True, db_index=True)
    speaker = models.CharField(max_length=300, blank=True)
    speaker_role = models.CharField(max_length=300, blank=True)
    # Who the speaker is (speaker/speaker_role are the words of this article, kept as found).
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    is_anonymous_source = models.BooleanField(default=False)
    entities = models.JSONField(default=list, blank=True)
    numbers = models.JSONField(default=list, blank=True)

    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MACHINE)
    extractor_name = models.CharField(max_length=100, blank=True)
    extractor_version = models.CharField(max_length=100, blank=True)
    edited = models.BooleanField(default=False, help_text="A person changed what the machine proposed.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    group = models.ForeignKey(ClaimGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    grouped_by = models.CharField(max_length=100, blank=True, help_text="Matcher name/version, or 'human'.")
    group_score = models.FloatField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every edit must name the version it read.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)
    undo_token: str  # set by the claim services for the caller (not stored)

    class Meta:
        ordering = ["article", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.CheckConstraint(
                condition=Q(checkworthiness__isnull=True) | Q(checkworthiness__gte=0, checkworthiness__lte=1),
                name="claim_checkworthiness_in_unit_interval",
            ),
            models.UniqueConstraint(fields=["article", "start", "end"], name="claim_span_unique_per_article"),
        ]
        indexes = [
            models.Index(fields=["article", "status"]),
            models.Index(fields=["status", "checkworthiness"]),
            models.Index(fields=["claim_type"], name="claim_type_idx"),
            models.Index(fields=["speaker"], name="claim_speaker_idx"),
        ]

    def __str__(self):
        return self.exact[:80]

    @property
    def is_machine_owned(self) -> bool:
        """Untouched by people: a machine candidate nobody decided on, edited or grouped by hand
        (a link the matcher made is the machine's too, and the matcher re-runs after extraction).
        Re-extraction may replace such a claim, and its speaker's person follows its words."""
        return (
            self.origin == Claim.Origin.MACHINE
            and self.status == Claim.Status.CANDIDATE
            and not self.edited
            and (self.group_id is None or self.grouped_by != "human")
        )


class Source(models.Model):
    """An evidence document; one source can serve many claims."""

    url = models.URLField(max_length=2000, validators=[HttpURLValidator()])
    normalized_url = models.CharField(max_length=2000, unique=True, editable=False)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.url


class Evidence(models.Model):
    """A source used for a claim (group), with the passage quoted from it and how it bears on the claim."""

    class Relation(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    group = models.ForeignKey(ClaimGroup, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.CONTEXT)
    quoted_passage = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["group", "source"], name="evidence_source_once_per_group")]

    def __str__(self):
        return f"{self.get_relation_display()}: source {self.source_id} for group {self.group_id}"


class Verdict(models.Model):
    """A reviewer's verdict on a claim (group). Workflow: draft → submitted → approved → published;
    a published verdict is corrected by a new verdict that `corrects` it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded by a correction"
        SET_ASIDE = "set_aside", "Set aside (the other review was approved)"

    class Agreement(models.TextChoices):
        """Double review (two reviewers, then an editor)."""

        NONE = "", "Single review"
        AWAITING = "awaiting", "Awaiting the second review"
        AGREED = "agreed", "Both reviewers agree"
        ESCALATED = "escalated", "Reviewers disagree: escalated to an editor"
        RESOLVED = "resolved", "Disagreement decided by an editor"

    group = models.ForeignKey(ClaimGroup, on_delete=models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts")
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="verdicts")
    rationale = models.TextField(blank=True)
    # Everyone who wrote or changed the rating or the rationale (the reviewer first): none of them
    # may approve it (four eyes).
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="contributed_verdicts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    agreement = models.CharField(max_length=10, choices=Agreement.choices, default=Agreement.NONE, blank=True)
    # Double review: the other reviewer's independent verdict on the same claim.
    peer = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    correction_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    _history_user: AbstractBaseUser | None  # who django-simple-history records for the next save (services set it)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="published"), name="one_published_verdict_per_group"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(rating__isnull=False), name="published_verdict_has_rating"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} verdict on {self.group_id}"
