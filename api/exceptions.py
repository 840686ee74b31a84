"""One exception handler for the API: service errors become 400 / 403 / 409 / 413 / 503 with the service's
message (the same text the web UI shows); everything else is DRF's default."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from factcheck.services.errors import (
    ConflictError,
    InvalidInput,
    PermissionDenied,
    ServiceError,
    TooLarge,
    Unavailable,
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "If-Match does not match the current version: reload and try again."
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you read, or the version field."
    default_code = "precondition_required"


SERVICE_STATUS = [
    (PermissionDenied, status.HTTP_403_FORBIDDEN, "permission_denied"),
    (ConflictError, status.HTTP_409_CONFLICT, "conflict"),
    (TooLarge, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large"),
    (Unavailable, status.HTTP_503_SERVICE_UNAVAILABLE, "unavailable"),
    (InvalidInput, status.HTTP_400_BAD_REQUEST, "invalid"),
    (ServiceError, status.HTTP_400_BAD_REQUEST, "invalid"),
]


def service_error_response(exc: ServiceError) -> Response:
    for cls, code, name in SERVICE_STATUS:
        if isinstance(exc, cls):
            body: dict[str, object] = {"detail": exc.message, "code": name}
            if exc.field:
                body["field"] = exc.field
            if isinstance(exc, ConflictError) and exc.current_version is not None:
                body["current_version"] = exc.current_version
            headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Unavailable) else None
            return Response(body, status=code, headers=headers)
    raise AssertionError("unreachable")


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return service_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(f"Request body too large (at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes); "
                              "send large imports in several requests.")
    return drf_exception_handler(exc, context)
