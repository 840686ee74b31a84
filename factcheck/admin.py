from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workbench.admin_defaults import URL_FIELDS_ASSUME_HTTPS

from .models import Claim, ClaimGroup, Evidence, Rating, RatingScale, Source, Verdict


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
    list_display = ["short_text", "article", "claim_type", "checkworthiness", "speaker", "is_anonymous_source", "status",
                    "origin", "extractor_version"]
    list_filter = ["status", "claim_type", "origin", "is_anonymous_source", "anchor_status", "extractor_version",
                   "article__outlet"]
    search_fields = ["exact", "speaker", "article__headline"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "group", "assigned_to", "decided_by", "created_by"]
    readonly_fields = ["start", "end", "exact", "prefix", "suffix", "sentence_start", "sentence_end", "entities",
                       "numbers", "origin", "extractor_name", "extractor_version", "created_at", "updated_at", "version"]
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
