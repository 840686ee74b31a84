"""Errors raised by the services of every app. Each class carries its HTTP status and its machine
code: the REST API's exception handler (api/exceptions.py) and the web UI (web/views/common.py)
both read them, so a rule that says no answers the same everywhere; the admin and management
commands show `.message`."""


class ServiceError(Exception):
    """A business rule said no. `.message` is meant for people (shown as is by the API and the UI)."""

    default_message = "The operation could not be done."
    status_code = 400
    code = "invalid"

    def __init__(self, message: str | None = None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)

    def extra(self) -> dict:
        """Fields this error adds to an error body beyond detail/code/field (none by default)."""
        return {}

    def headers(self) -> dict[str, str]:
        """HTTP headers this error's response carries (none by default)."""
        return {}


class PermissionDenied(ServiceError):
    default_message = "You do not have permission to do this."
    status_code = 403
    code = "permission_denied"


class ConflictError(ServiceError):
    """The object changed since the caller read it (stale version), or a concurrent write won."""

    default_message = "This was changed by someone else meanwhile. Reload and try again."
    status_code = 409
    code = "conflict"

    def __init__(self, message: str | None = None, *, field: str | None = None, current_version: int | None = None):
        super().__init__(message, field=field)
        self.current_version = current_version

    def extra(self) -> dict:
        return {} if self.current_version is None else {"current_version": self.current_version}


class InvalidInput(ServiceError):
    """The input breaks a rule; `.field` names the offending field when there is one."""

    default_message = "Invalid input."


class TooLarge(InvalidInput):
    """More input than one request may carry (API: 413)."""

    default_message = "Too much input for one request."
    status_code = 413
    code = "too_large"


class Unavailable(ServiceError):
    """The work could not be done now (no worker, a time limit, the queue down): try again later
    (API: 503 with Retry-After)."""

    default_message = "The service is unavailable right now. Try again later."
    status_code = 503
    code = "unavailable"

    def __init__(self, message: str | None = None, *, retry_after: int = 30):
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
