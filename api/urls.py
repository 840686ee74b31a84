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
    APIRootView = ApiRoot
    include_format_suffixes = False


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

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("score/", ScoreView.as_view(), name="score"),
    path("claims/compare/", ClaimCompareView.as_view(), name="claim-compare"),
    path("claims/compare/<int:pk>/", ClaimCompareDetailView.as_view(), name="claim-compare-detail"),
    *router.urls,
]
