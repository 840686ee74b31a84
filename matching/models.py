from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ClaimSignature(models.Model):
    """Who did what to whom in a claim (see matching/signature.py), computed by a worker.
    `text_hash` tells whether the claim's text changed since; `matcher` which version computed it."""

    claim = models.OneToOneField(
        "factcheck.Claim", on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    matcher = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=20)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"signature of claim {self.claim_id}"


class SignatureTerm(models.Model):
    """The inverted index for candidate retrieval: one row per (retrieval key, claim). A new
    claim's rarest keys return a bounded candidate set (most recent first) on SQLite and PostgreSQL
    alike, instead of a comparison with every stored claim."""

    term = models.CharField(max_length=120)
    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "claim"], name="signature_term_once_per_claim")]
        indexes = [models.Index(fields=["claim"], name="signature_term_claim")]

    def __str__(self):
        return self.term


class SignatureTermCount(models.Model):
    """How many claims hold each retrieval key (kept up to date by linking.claim_signatures_update),
    so that retrieval reads the postings of rare keys only and skips common ones without reading
    them. Claims deleted by cascade leave their counts (a key may look a little more common)."""

    term = models.CharField(max_length=120, primary_key=True)
    postings = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.term}: {self.postings}"


class MatchSuggestion(models.Model):
    """A machine's proposal that `claim` is a mention of `group` (or, when the candidate had no
    group yet, of `target_claim`'s claim), with the model and version that proposed it. Links
    made automatically (score above WORKBENCH["MATCH_AUTO_LINK"]) are recorded too, as `auto`."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        AUTO = "auto", "Linked automatically"
        CONFIRMED = "confirmed", "Confirmed by an editor"
        REJECTED = "rejected", "Rejected by an editor"

    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="match_suggestions")
    group = models.ForeignKey(
        "factcheck.ClaimGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="match_suggestions"
    )
    target_claim = models.ForeignKey(
        "factcheck.Claim",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The most similar mention.",
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED, db_index=True)
    matcher = models.CharField(max_length=100, help_text="Name/version of the model that proposed it.")
    auto_link_threshold = models.FloatField(null=True, blank=True)
    suggest_threshold = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="match_suggestion_score_unit"),
            models.CheckConstraint(
                condition=Q(group__isnull=False) | Q(target_claim__isnull=False), name="match_suggestion_has_target"
            ),
            models.CheckConstraint(condition=~Q(claim=F("target_claim")), name="match_suggestion_not_self"),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="match_suggestion_open")]

    def __str__(self):
        return f"claim {self.claim_id} → group {self.group_id} ({self.score:.2f}, {self.status})"


class MatchDecision(models.Model):
    """An editor's decision about two mentions, kept with who and when: `different` (never link
    them again: a rejected suggestion, a split, a mention taken out of a group) or `same`
    (confirmed or merged). Re-runs of the matcher respect them."""

    class Kind(models.TextChoices):
        SAME = "same", "Same claim"
        DIFFERENT = "different", "Different claims"

    class Action(models.TextChoices):
        CONFIRM = "confirm", "Confirmed a suggestion"
        REJECT = "reject", "Rejected a suggestion"
        MERGE = "merge", "Merged groups"
        SPLIT = "split", "Split a group"
        UNLINK = "unlink", "Took a mention out of its group"

    claim_a = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="+")
    claim_b = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            # Stored once per unordered pair, smaller id first; a later decision replaces the earlier one.
            models.CheckConstraint(condition=Q(claim_a__lt=F("claim_b")), name="match_decision_ordered_pair"),
            models.UniqueConstraint(fields=["claim_a", "claim_b"], name="match_decision_once_per_pair"),
        ]
        indexes = [models.Index(fields=["claim_b"], name="match_decision_claim_b")]

    def __str__(self):
        return f"{self.claim_a_id} {self.kind} {self.claim_b_id}"


class PastFactCheck(models.Model):
    """A fact-check published before (imported from ClaimReview JSON-LD or a dataset), searched
    for "has this been checked before?"."""

    claim_text = models.TextField(help_text="The claim that was checked (claimReviewed).")
    title = models.CharField(max_length=1000, blank=True)
    subtitle = models.TextField(blank=True)
    rating = models.CharField(max_length=200, blank=True, help_text="alternateName of the rating, e.g. 'False'.")
    url = models.URLField(max_length=2000, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=300, blank=True)
    claimant = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=12, default="en")
    dataset = models.CharField(max_length=100, help_text="Where it came from, e.g. 'claimreview' or 'clef2022-2a'.")
    external_id = models.CharField(max_length=500)
    embedding = models.TextField(
        blank=True,
        editable=False,
        help_text="Sentence embeddings of the claim and the title (float16, base64), "
        "computed by the importer; empty until then.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "external_id"], name="past_fact_check_unique_per_dataset"),
            models.CheckConstraint(condition=~Q(claim_text=""), name="past_fact_check_has_claim"),
        ]

    def __str__(self):
        return self.claim_text[:80]


class ClaimComparison(models.Model):
    """A batch of claim pairs to compare (POST /api/v1/claims/compare/), run by a worker with a time
    limit (matching.tasks.claims_compare_task); the web process only writes and reads this row."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pairs = models.JSONField(help_text='[{"a": text, "b": text}, ...]')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    results = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="claim_comparison_status")]

    def __str__(self):
        return f"comparison {self.pk} ({len(self.pairs)} pairs, {self.status})"
