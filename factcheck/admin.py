from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workbench.admin_defaults import URL_FIELDS_ASSUME_HTTPS

from .models import Claim, ClaimGroup, Evidence, Person, PersonAlias, Rating, RatingScale, Source, Verdict


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
    raw_id_fields = ["article", "group", "assigned_to", "decided_by", "created_by", "person"]
    readonly_fields = ["start", "end", "exact", "prefix", "suffix", "sentence_start", "sentence_end", "entities",
                       "numbers", "origin", "extractor_name", "extractor_version", "created_at", "updated_at", "version"]
    ordering = ["-checkworthiness"]

    @admin.display(description="claim")
    def short_text(self, obj):
        return obj.exact[:100]


class ClaimMentionInline(admin.TabularInline):
    model = Claim
    fk_name = "group"
    fields = ["article", "exact", "speaker", "status", "grouped_by", "group_score"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(WorkflowReadOnly, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["source", "relation", "quoted_passage", "added_by", "created_at"]
    readonly_fields = fields


class VerdictInline(admin.TabularInline):
    model = Verdict
    fields = ["reviewer", "rating", "status", "published_at"]
    readonly_fields = fields
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
    fields = ["text", "normalized", "kind", "created_by", "created_at"]
    readonly_fields = fields
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
    readonly_fields = ["name", "kind", "description", "merged_into", "merged_by", "merged_at", "created_by",
                       "created_at", "version"]
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
        from django.contrib import messages

        from .services.errors import ServiceError
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
