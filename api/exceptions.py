"""One exception handler for the API: a service error becomes the HTTP status and code its class carries
(core/errors.py: 400 / 403 / 409 / 413 / 503) with the service's message (the same text and code the web UI
shows); everything else is DRF's default."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ServiceError


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "If-Match does not match the current version: reload and try again."
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you read, or the version field."
    default_code = "precondition_required"


def service_error_response(exc: ServiceError) -> Response:
    """The error's own status and code (core/errors.py), its message, field and extras."""
    body = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    body.update(exc.extra())
    return Response(body, status=exc.status_code, headers=exc.headers() or None)


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return service_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(
            f"Request body too large (at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes); "
            "send large imports in several requests."
        )
    return drf_exception_handler(exc, context)
