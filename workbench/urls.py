from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

# The Content-Security-Policy (settings CONTENT_SECURITY_POLICY) allows no inline script. Swagger UI
# is served with its start-up script as a file (the split view). Both doc pages style themselves
# with <style> elements (and ReDoc searches in a blob: worker), so those two pages allow that; still
# no inline script.
docs_styles = csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})
swagger = docs_styles(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
redoc = docs_styles(SpectacularRedocView.as_view(url_name="api-schema"))

urlpatterns = [
    path("admin/", admin.site.urls),
    # django.contrib.auth's pages; password reset only where e-mail is set up (accounts/urls.py).
    path("accounts/", include("accounts.urls")),
    # REST API (api/), its OpenAPI schema and interactive docs (drf-spectacular-sidecar: no CDN).
    path("api/v1/", include("api.urls")),
    path("api/v1/", include("matching.urls")),  # previously-checked search, match suggestions
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", swagger, name="api-docs"),
    path("api/redoc/", redoc, name="api-redoc"),
    path(settings.WORKBENCH["PUBLIC_BASE"], include("publishing.urls")),  # public fact-check pages, no sign-in
    path("", include("web.urls")),  # the editors' web UI (work queue at /)
]
