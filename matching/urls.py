"""Cross-linking endpoints, mounted at /api/v1/ beside the api app's router."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import MatchSuggestionViewSet, PreviouslyCheckedView

app_name = "matching-api"

router = SimpleRouter()
router.register("match-suggestions", MatchSuggestionViewSet, basename="match-suggestion")

urlpatterns = [
    path("previously-checked/", PreviouslyCheckedView.as_view(), name="previously-checked"),
    *router.urls,
]
