"""Mounted at settings.WORKBENCH["PUBLIC_BASE"] (default /fact-checks/)."""

from django.urls import path

from . import feeds, views

app_name = "public"

urlpatterns = [
    path("", views.factcheck_list, name="factcheck-list"),
    path("feed/", feeds.FactCheckFeed(), name="factcheck-feed-rss"),
    path("feed/atom/", feeds.FactCheckAtomFeed(), name="factcheck-feed-atom"),
    path("<int:pk>/", views.factcheck_detail, name="factcheck-detail"),
    path("<int:pk>/versions/<int:verdict>/", views.factcheck_version, name="factcheck-version"),
]
