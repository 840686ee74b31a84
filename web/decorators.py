"""Who may open a page: every page needs a signed-in user, and a capability from accounts.roles.
Anonymous users are sent to the sign-in page; signed-in users without the capability get a 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.roles import user_can


def capability_required(capability: str = "read"):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, capability):
                raise PermissionDenied(f"Your role does not allow this ({capability}).")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
