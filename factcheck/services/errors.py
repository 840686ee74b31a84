"""Errors raised by the review services. Every interface maps them the same way: the REST API's
exception handler (api/exceptions.py) to 400 / 403 / 409, the web UI and the admin to a message."""

from accounts.roles import user_can


class ServiceError(Exception):
    """A business rule said no. `.message` is meant for people (shown as is by the API and the UI)."""

    default_message = "The operation could not be done."

    def __init__(self, message: str | None = None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class PermissionDenied(ServiceError):
    default_message = "You do not have permission to do this."


class ConflictError(ServiceError):
    """The object changed since the caller read it (stale version), or a concurrent write won."""

    default_message = "This was changed by someone else meanwhile. Reload and try again."

    def __init__(self, message: str | None = None, *, field: str | None = None, current_version: int | None = None):
        super().__init__(message, field=field)
        self.current_version = current_version


class InvalidInput(ServiceError):
    """The input breaks a rule; `.field` names the offending field when there is one."""

    default_message = "Invalid input."


def require(user, capability: str, what: str) -> None:
    """Raise PermissionDenied unless `user` has `capability` (see accounts/roles.py)."""
    if not user_can(user, capability):
        raise PermissionDenied(f"You do not have permission to {what}.")


class TooLarge(InvalidInput):
    """More input than one request may carry (API: 413)."""

    default_message = "Too much input for one request."


class Unavailable(ServiceError):
    """The work could not be done now (no worker, a time limit, the queue down): try again later
    (API: 503 with Retry-After)."""

    default_message = "The service is unavailable right now. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int = 30):
        super().__init__(message)
        self.retry_after = retry_after
