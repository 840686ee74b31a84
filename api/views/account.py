"""The caller's own API tokens (django-rest-knox: stored hashed, with expiry, revocable) and
who the caller is."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework import mixins, status
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.roles import CAPABILITIES, user_can, user_roles
from accounts.services import token_create

from .. import serializers as s
from ..pagination import PageNumberPagination
from ..throttling import SimpleRateThrottle
from .base import ERRORS, WorkbenchAPIView, WorkbenchViewSet


class TokenCreateThrottle(SimpleRateThrottle):
    """Password guessing through the token endpoint: per client address (core.http.client_ip),
    backed by the cache (Redis in production); the sign-in lockout (accounts/lockout.py) applies
    too. Rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"], else 20/min."""

    scope = "token"

    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope) or "20/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema_view(
    list=extend_schema(summary="Your API tokens (never the secret part)"),
    destroy=extend_schema(summary="Revoke one of your tokens", responses={204: None, 404: ERRORS[404]}),
)
class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, WorkbenchViewSet):
    serializer_class = s.TokenSerializer
    lookup_field = "token_key"
    lookup_value_regex = "[A-Za-z0-9]+"
    filter_backends = []
    capabilities = {"destroy": "read"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return AuthToken.objects.none()
        return AuthToken.objects.filter(user=self.request.user).order_by("-created")

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else super().get_permissions()

    def get_throttles(self):
        throttles = super().get_throttles()
        return [*throttles, TokenCreateThrottle()] if self.action == "create" else throttles

    pagination_class = PageNumberPagination  # a handful per user: no cursor paging

    @extend_schema(
        summary="Create an API token",
        request=s.TokenCreateSerializer,
        description="With `username` and `password` (signed in: `password`; it is always required). The token is shown once; send it as "
        "`Authorization: Token <token>`. It expires after the server's maximum (or `expiry_days`).",
        responses={
            201: s.TokenCreatedSerializer,
            401: OpenApiResponse(description="Wrong or missing credentials."),
            403: ERRORS[403],
        },
    )
    def create(self, request):
        data = self.input(s.TokenCreateSerializer)
        # A long-lived credential needs the password, also from a signed-in session (a session left
        # open, or a stolen session cookie, must not mint a 90-day token).
        username = data.get("username")
        if username is None and request.user and request.user.is_authenticated:
            username = request.user.get_username()
        if not data.get("password"):
            raise NotAuthenticated("Give your password (and username unless signed in): a token needs it.")
        # The Django request: django-axes marks a locked-out attempt on it (its middleware answers 429).
        user = authenticate(request._request, username=username or "", password=data["password"])
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.")
        instance, token = token_create(user=user, expiry_days=data.get("expiry_days"))
        return Response(
            {"token": token, "token_key": instance.token_key, "expiry": instance.expiry}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, token_key=None):
        deleted, _ = self.get_queryset().filter(token_key=token_key).delete()
        if not deleted:
            from django.http import Http404

            raise Http404("No such token of yours.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(WorkbenchAPIView):
    @extend_schema(summary="Who you are: roles and capabilities", responses={200: s.MeSerializer})
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.get_username(),
                "roles": sorted(r.value for r in user_roles(user)),
                "capabilities": sorted(c for c in CAPABILITIES if user_can(user, c)),
            }
        )
