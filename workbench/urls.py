from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # REST API (api/), its OpenAPI schema and interactive docs (drf-spectacular-sidecar: no CDN).
    path("api/v1/", include("api.urls")),
    path("api/v1/", include("matching.urls")),  # previously-checked search, match suggestions
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path(settings.WORKBENCH["PUBLIC_BASE"], include("publishing.urls")),  # public fact-check pages, no sign-in
    path("", include("web.urls")),  # the editors' web UI (work queue at /)
]
