"""Throttles on the cache (Redis in production)."""

from django.conf import settings
from knox.models import AuthToken
from rest_framework.throttling import SimpleRateThrottle


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
