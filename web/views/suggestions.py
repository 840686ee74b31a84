"""The matcher's open suggestions ("are these two mentions the same claim?"): a list page, and the
editors' Confirm / Reject buttons (also shown on the claim group page). Both call the matching
services, which record who decided and when; re-runs of the matcher respect the decision."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import user_can
from core.errors import ServiceError
from matching import services as matching_services
from matching.models import MatchSuggestion

from ..decorators import capability_required
from ..selectors import match_suggestions_pending
from .common import done, failed

PAGE_SIZE = 50


@capability_required("read")
def suggestion_list(request):
    page = Paginator(match_suggestions_pending(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/suggestion_list.html",
        {
            "page": page,
            "can_group": user_can(request.user, "claim.group"),
        },
    )


@require_POST
@capability_required("claim.group")
def suggestion_confirm(request, pk: int):
    """The claim joins the suggested group; back to `next`, else to that group's page."""
    suggestion = get_object_or_404(MatchSuggestion, pk=pk)
    try:
        claim = matching_services.match_suggestion_confirm(suggestion=suggestion, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, reverse("web:suggestion-list"))
    return done(
        request,
        reverse("web:group-detail", args=[claim.group_id]),
        message="Confirmed: the mention is now part of the suggested claim.",
    )


@require_POST
@capability_required("claim.group")
def suggestion_reject(request, pk: int):
    suggestion = get_object_or_404(MatchSuggestion, pk=pk)
    try:
        matching_services.match_suggestion_reject(suggestion=suggestion, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, reverse("web:suggestion-list"))
    return done(request, reverse("web:suggestion-list"), message="Rejected: this link will not be suggested again.")
