"""Sign-in lockout (django-axes): after WORKBENCH_LOGIN_FAILURE_LIMIT wrong passwords for one user
name from one address, that pair is locked out for WORKBENCH_LOGIN_LOCKOUT_MINUTES, on every
sign-in path (the sign-in page, the admin's, the token endpoint). The answer is a 429 that says so
and when to try again."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, first in AUTHENTICATION_BACKENDS. Server-side calls without a request (the
    test client's login(), scripts) have no address to lock out and are left to ModelBackend;
    every sign-in over HTTP passes its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    minutes = lockout_minutes()
    message = (
        f"Too many failed sign-in attempts for this user name from your address: locked out for "
        f"{minutes} minutes. Try again later, or ask an administrator to unlock it."
    )
    headers = {"Retry-After": str(minutes * 60)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429, headers=headers)
    response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = headers["Retry-After"]
    return response
