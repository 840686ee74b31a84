"""Roles per endpoint: each view names the capability (accounts/roles.py) every action needs.
Reads need "read" (every role, integrations included); writes need the capability the service
itself checks again. Per-object rules (a reviewer edits only their own verdict, ...) live in the
services and come back as 403 through the exception handler."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import user_can


class HasCapability(BasePermission):
    """`view.capabilities` maps an action name (or "read"/"write" defaults) to a capability."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False  # → 401 with WWW-Authenticate
        capability = required_capability(view, request)
        if capability is None or not user_can(user, capability):
            raise PermissionDenied(f"Your role does not allow this (needs {capability or 'a capability'!r}).")
        return True


def required_capability(view, request) -> str | None:
    """The capability for this request; None when the view declares none for a write (refused)."""
    capabilities = getattr(view, "capabilities", {})
    action = getattr(view, "action", None)
    if action in capabilities:
        return capabilities[action]
    handled = getattr(view, request.method.lower(), None) if action is None else True
    if request.method in SAFE_METHODS or not handled:
        return capabilities.get("read", "read")  # (an unsupported method is answered 405 by DRF)
    return capabilities.get("write")
