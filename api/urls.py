"""/api/v1/: read resources as viewsets on one router; commands as actions on them."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from .views.account import MeView, TokenViewSet
from .views.base import WorkbenchMixin
from .views.catalog import ArticleViewSet, ImportBatchViewSet, OutletViewSet
from .views.claims import ClaimViewSet
from .views.compare import ClaimCompareDetailView, ClaimCompareView
from .views.feeds import ArticlePageViewSet, FeedViewSet
from .views.hooks import WebhookViewSet
from .views.matching import MatchSuggestionViewSet, PreviouslyCheckedView
from .views.people import PersonViewSet
from .views.reviews import (
    ClaimGroupViewSet,
    ClaimReviewFeedViewSet,
    EvidenceViewSet,
    RatingScaleViewSet,
    SourceViewSet,
    VerdictViewSet,
)
from .views.score import ScoreView

app_name = "api"


class ApiRoot(WorkbenchMixin, APIRootView):
    """The resources of the Fact-check Workbench API (docs: /api/docs/)."""


class Router(DefaultRouter):
    """The API's one router. Its root lists the viewsets and the endpoints outside them (ROOT_EXTRA)."""

    APIRootView = ApiRoot
    include_format_suffixes = False

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        viewsets = {prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**viewsets, **ROOT_EXTRA})


# Endpoints that are not viewsets, listed in the API root too: {key: URL name}.
ROOT_EXTRA = {
    "me": "me",
    "score": "score",
    "claims/compare": "claim-compare",
    "previously-checked": "previously-checked",
}


router = Router()
router.register("outlets", OutletViewSet, basename="outlet")
router.register("articles", ArticleViewSet, basename="article")
router.register("imports", ImportBatchViewSet, basename="import")
router.register("claims", ClaimViewSet, basename="claim")
router.register("groups", ClaimGroupViewSet, basename="group")
router.register("sources", SourceViewSet, basename="source")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("rating-scales", RatingScaleViewSet, basename="rating-scale")
router.register("verdicts", VerdictViewSet, basename="verdict")
router.register("claimreviews", ClaimReviewFeedViewSet, basename="claimreview")
router.register("tokens", TokenViewSet, basename="token")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("feeds", FeedViewSet, basename="feed")
router.register("pages", ArticlePageViewSet, basename="page")
router.register("people", PersonViewSet, basename="person")
router.register("match-suggestions", MatchSuggestionViewSet, basename="match-suggestion")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("score/", ScoreView.as_view(), name="score"),
    path("claims/compare/", ClaimCompareView.as_view(), name="claim-compare"),
    path("claims/compare/<int:pk>/", ClaimCompareDetailView.as_view(), name="claim-compare-detail"),
    path("previously-checked/", PreviouslyCheckedView.as_view(), name="previously-checked"),
    *router.urls,
]
