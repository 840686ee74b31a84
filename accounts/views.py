"""Sign-in pages: Django's auth views, with password reset by e-mail only where e-mail is set up
(EMAIL_URL; settings WORKBENCH["PASSWORD_RESET"]). Without it the reset pages say so (404) instead
of pretending to send mail."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render


def password_reset_available() -> bool:
    return bool(settings.WORKBENCH.get("PASSWORD_RESET"))


def requires_mail(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not password_reset_available():
            return render(request, "registration/password_reset_unavailable.html", status=404)
        return view(request, *args, **kwargs)

    return wrapped
