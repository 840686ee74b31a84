"""Who the client is, and how much it may send, decided once per request before anything else
reads the request.

- Forwarded headers (`X-Forwarded-For`, `-Proto`, `-Host`, `-Port`) are believed only from the
  reverse proxies in WORKBENCH_TRUSTED_PROXIES (addresses or CIDRs, empty by default): from anyone
  else they are removed, so that a client cannot pick its address (and with it a fresh throttle or
  lockout budget) or claim HTTPS. `client_ip` is the one answer to "which address is this?": the
  API throttles (api/throttling.py) and the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE)
  both use it.
- Requests that are not signed in may send at most WORKBENCH_ANONYMOUS_MAX_BODY_BYTES: a larger
  body is refused with 413 from its Content-Length, before Django reads (or spools to disk) any of
  it. Signed-in sessions and API tokens are bounded by the upload limits of the endpoint instead.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str) -> bool:
    networks = _networks(tuple(settings.WORKBENCH_TRUSTED_PROXIES))
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy; then the right-most
    address in X-Forwarded-For that is not a trusted proxy (each proxy appends the address it saw)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage from beyond the proxy: the proxy's own address
    return hops[0] if hops else remote


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: drops forwarded headers that did not come from a trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _trusted(request.META.get("REMOTE_ADDR", "")):
            for name in FORWARDED_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)


class AnonymousBodyLimitMiddleware:
    """Refuses, from Content-Length alone, a body over WORKBENCH_ANONYMOUS_MAX_BODY_BYTES from a
    request that is neither a signed-in session nor an API call with credentials (sign-in pages,
    the token endpoint, password reset: whatever anybody can post to). A body without a
    Content-Length is read as empty by Django (nginx buffers a chunked body and forwards it with
    one, within its client_max_body_size)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.WORKBENCH["ANONYMOUS_MAX_BODY_BYTES"]
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit and not self._credentialed(request):
            message = f"Request body too large: {length:,} bytes; at most {limit:,} bytes unless signed in."
            if request.path.startswith("/api/") or "application/json" in request.META.get("HTTP_ACCEPT", ""):
                return JsonResponse({"detail": message, "code": "too_large"}, status=413)
            return HttpResponse(message + "\n", status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _credentialed(request) -> bool:
        # API calls with a token: DRF authenticates them before it reads the body, and refuses a bad
        # token (401) without reading it. Web pages: a signed-in session (the session is checked here).
        # ("Token …" only: no other scheme is configured, so anything else is anonymous to DRF.)
        if request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
