from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The Content-Security-Policy (settings CONTENT_SECURITY_POLICY) allows no inline script. Swagger UI
# is served with its start-up script as a file (the split view); it styles itself with <style>
# elements, so that page allows them; still no inline script.
docs_styles = csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})
swagger = docs_styles(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns = [
    path("admin/", admin.site.urls),
    # django.contrib.auth's pages; password reset only where e-mail is set up (accounts/urls.py).
    path("accounts/", include("accounts.urls")),
    # REST API (api/), its OpenAPI schema and interactive docs (drf-spectacular-sidecar: no CDN).
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", swagger, name="api-docs"),
    # ReDoc's bundle fetches its fonts and logo from the internet: the old address opens Swagger UI.
    path("api/redoc/", RedirectView.as_view(pattern_name="api-docs", permanent=True), name="api-redoc"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True), name="favicon"),
    path(settings.WORKBENCH["PUBLIC_BASE"], include("publishing.urls")),  # public fact-check pages, no sign-in
    path("", include("web.urls")),  # the editors' web UI (work queue at /)
]
