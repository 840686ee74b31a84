"""Throttles on the cache (Redis in production). Every one identifies the client's address with
core.http.client_ip (forwarded headers only from WORKBENCH_TRUSTED_PROXIES), as the sign-in
lockout does."""

from django.conf import settings
from knox.models import AuthToken
from rest_framework import throttling

from core.http import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class SimpleRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    pass


class PerTokenThrottle(SimpleRateThrottle):
    """Per API token (each token of a user has its own budget; a signed-in session counts as one).
    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]."""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AuthToken):
            ident = f"token-{request.auth.token_key}"
        elif request.user and request.user.is_authenticated:
            ident = f"session-user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ScoreThrottle(PerTokenThrottle):
    scope = "score"
