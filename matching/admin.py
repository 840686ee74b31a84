from django.contrib import admin, messages

from core.admin import URL_FIELDS_ASSUME_HTTPS
from core.errors import ServiceError

from . import services
from .models import ClaimSignature, MatchDecision, MatchSuggestion, PastFactCheck


@admin.register(MatchSuggestion)
class MatchSuggestionAdmin(admin.ModelAdmin):
    list_display = ["id", "claim", "group", "score", "status", "matcher", "decided_by", "decided_at", "created_at"]
    list_filter = ["status", "matcher"]
    search_fields = ["claim__exact", "target_claim__exact"]
    list_select_related = ["claim", "group", "decided_by"]
    raw_id_fields = ["claim", "group", "target_claim", "decided_by"]
    readonly_fields = [f.name for f in MatchSuggestion._meta.fields]
    actions = ["confirm", "reject"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, service, verb):
        done = 0
        for suggestion in queryset:
            try:
                service(suggestion=suggestion, by=request.user)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"Suggestion {suggestion.pk}: {exc.message}", messages.ERROR)
        self.message_user(request, f"{verb} {done} suggestion(s).")

    @admin.action(description="Confirm the selected suggestions (link the claims)")
    def confirm(self, request, queryset):
        self._decide(request, queryset, services.match_suggestion_confirm, "Confirmed")

    @admin.action(description="Reject the selected suggestions (never propose again)")
    def reject(self, request, queryset):
        self._decide(request, queryset, services.match_suggestion_reject, "Rejected")


@admin.register(MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    list_display = ["claim_a", "claim_b", "kind", "action", "decided_by", "decided_at", "note"]
    list_filter = ["kind", "action"]
    raw_id_fields = ["claim_a", "claim_b", "decided_by"]
    readonly_fields = [f.name for f in MatchDecision._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ClaimSignature)
class ClaimSignatureAdmin(admin.ModelAdmin):
    list_display = ["claim", "matcher", "computed_at"]
    list_filter = ["matcher"]
    raw_id_fields = ["claim", "article"]
    readonly_fields = ["claim", "article", "matcher", "text_hash", "data", "computed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PastFactCheck)
class PastFactCheckAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["claim_text", "rating", "publisher", "published", "dataset"]
    list_filter = ["dataset", "publisher"]
    search_fields = ["claim_text", "title", "external_id", "url"]
