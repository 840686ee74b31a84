from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article
from core.admin import URL_FIELDS_ASSUME_HTTPS
from core.errors import ServiceError

from .models import Claim, ClaimGroup, Evidence, Person, PersonAlias, Rating, RatingScale, Source, Verdict
from .services.extraction import claims_reextract_all


class WorkflowReadOnly:
    """Claims, groups, evidence and verdicts change only through the services (web UI, API), which
    check roles, versions and the review workflow; the admin shows them and may delete them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 1
    fields = ["order", "label", "value", "description"]


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "double_review"]
    inlines = [RatingInline]


@admin.register(Claim)
class ClaimAdmin(WorkflowReadOnly, SimpleHistoryAdmin):
    list_display = [
        "short_text",
        "article",
        "claim_type",
        "checkworthiness",
        "speaker",
        "is_anonymous_source",
        "status",
        "origin",
        "extractor_version",
    ]
    list_filter = [
        "status",
        "claim_type",
        "origin",
        "is_anonymous_source",
        "anchor_status",
        "extractor_version",
        "article__outlet",
    ]
    search_fields = ["exact", "speaker", "article__headline"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "group", "assigned_to", "decided_by", "created_by", "person"]
    readonly_fields = [
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "sentence_start",
        "sentence_end",
        "entities",
        "numbers",
        "origin",
        "extractor_name",
        "extractor_version",
        "created_at",
        "updated_at",
        "version",
    ]
    ordering = ["-checkworthiness"]

    @admin.display(description="claim")
    def short_text(self, obj):
        return obj.exact[:100]


class ClaimMentionInline(admin.TabularInline):
    model = Claim
    fk_name = "group"
    fields = readonly_fields = ("article", "exact", "speaker", "status", "grouped_by", "group_score")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(WorkflowReadOnly, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = readonly_fields = ("source", "relation", "quoted_passage", "added_by", "created_at")


class VerdictInline(admin.TabularInline):
    model = Verdict
    fields = readonly_fields = ("reviewer", "rating", "status", "published_at")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClaimGroup)
class ClaimGroupAdmin(WorkflowReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "created_at"]
    search_fields = ["label"]
    inlines = [ClaimMentionInline, EvidenceInline, VerdictInline]


@admin.register(Source)
class SourceAdmin(WorkflowReadOnly, SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["__str__", "publisher", "url", "created_at"]
    search_fields = ["title", "url", "publisher"]
    readonly_fields = ["normalized_url"]


@admin.register(Verdict)
class VerdictAdmin(WorkflowReadOnly, SimpleHistoryAdmin):
    list_display = ["group", "reviewer", "rating", "status", "published_at"]
    list_filter = ["status", "rating__scale", "rating"]
    search_fields = ["group__label", "rationale"]
    list_select_related = ["group", "reviewer", "rating"]
    raw_id_fields = ["group", "reviewer", "corrects", "approved_by", "published_by"]


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    fields = readonly_fields = ("text", "normalized", "kind", "created_by", "created_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(WorkflowReadOnly, SimpleHistoryAdmin):
    """People change through factcheck.services.people (the speaker page, the API); here they are
    shown, and merged by the action below (the same service). Admins may delete only a person
    nothing points at (mentions and merged records protect it)."""

    list_display = ["name", "kind", "mention_count", "merged_into", "version"]
    list_filter = ["kind", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name", "aliases__text", "aliases__normalized"]
    readonly_fields = [
        "name",
        "kind",
        "description",
        "merged_into",
        "merged_by",
        "merged_at",
        "created_by",
        "created_at",
        "version",
    ]
    inlines = [PersonAliasInline]
    actions = ["merge_into_most_mentioned"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(mentions=Count("claims"))

    @admin.display(description="mentions", ordering="mentions")
    def mention_count(self, obj):
        return obj.mentions

    @admin.action(description="Merge the selected people into the one with the most mentions")
    def merge_into_most_mentioned(self, request, queryset):
        from .services.people import person_merge

        people = sorted(queryset.filter(merged_into__isnull=True), key=lambda p: (-p.mentions, p.pk))
        if len(people) < 2:
            self.message_user(request, "Select at least two people who were not merged yet.", messages.WARNING)
            return
        target = people[0]
        for source in people[1:]:
            try:
                person_merge(source=source, target=target, by=request.user)
            except ServiceError as exc:
                self.message_user(request, f"{source.name}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{source.name} merged into {target.name}.", messages.SUCCESS)


# The articles' admin page lives here, not in articles/admin.py: it lists an article's claims and
# re-extracts them, and the articles app depends on no app above it (pyproject.toml, layers).
class ClaimInline(admin.TabularInline):
    model = Claim
    fields = readonly_fields = (
        "start",
        "end",
        "exact",
        "claim_type",
        "checkworthiness",
        "speaker",
        "is_anonymous_source",
        "status",
        "origin",
    )
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["start"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["headline", "outlet", "external_id", "published_at", "extraction_status", "claim_count", "revision"]
    list_filter = ["extraction_status", "outlet", "language", "published_at"]
    search_fields = ["headline", "external_id", "url", "byline"]
    list_select_related = ["outlet"]
    readonly_fields = [
        "content_hash",
        "normalized_url",
        "revision",
        "import_batch",
        "created_by",
        "created_at",
        "updated_at",
        "extraction_status",
        "extraction_changed_at",
        "extraction_attempts",
        "extraction_error",
        "extracted_at",
        "extracted_revision",
        "extractor_version",
    ]
    inlines = [ClaimInline]
    actions = ["reextract"]
    date_hierarchy = "published_at"
    change_list_template = "admin/articles/article/change_list.html"

    def changelist_view(self, request, extra_context=None):
        """Extraction progress above the list: how many articles are in each state."""
        from django.db.models import Count

        counts = dict(Article.objects.values_list("extraction_status").annotate(n=Count("id")).order_by())
        total = sum(counts.values())
        states = [(label, counts.get(value, 0)) for value, label in Article.ExtractionStatus.choices]
        extra_context = {
            **(extra_context or {}),
            "extraction_states": states,
            "extraction_total": total,
            "extraction_done": counts.get(Article.ExtractionStatus.DONE, 0)
            + counts.get(Article.ExtractionStatus.FAILED, 0),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

    def has_change_permission(self, request, obj=None):
        # Text changes go through the service (revision, re-extraction); the admin shows articles.
        return False

    @admin.action(description="Re-extract candidate claims", permissions=["view"])
    def reextract(self, request, queryset):
        try:
            count = claims_reextract_all(by=request.user, article_ids=list(queryset.values_list("id", flat=True)))
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request, f"{count} article(s) queued for extraction; their status shows the progress.", messages.SUCCESS
        )
