"""What every web view shares: how service errors reach people (JSON for fetch() calls, a message
and a redirect for plain forms) and where a form sends people back to."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

from factcheck.services.errors import ConflictError, InvalidInput, PermissionDenied, ServiceError


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def error_status(exc: ServiceError) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, InvalidInput):
        return 400
    return 400


def error_code(exc: ServiceError) -> str:
    return {403: "permission_denied", 409: "conflict"}.get(error_status(exc), "invalid")


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def json_error(exc: ServiceError, **extra) -> JsonResponse:
    body = {"error": error_code(exc), "message": exc.message, "field": getattr(exc, "field", None), **extra}
    return JsonResponse(body, status=error_status(exc))


def form_error_response(request: HttpRequest, form, fallback: str):
    message = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
    if wants_json(request):
        return JsonResponse({"error": "invalid", "message": message, "fields": form.errors}, status=400)
    messages.error(request, message)
    return HttpResponseRedirect(safe_next(request, fallback))


def done(request: HttpRequest, fallback: str, *, message: str = "", payload: dict | None = None, status: int = 200):
    if wants_json(request):
        return JsonResponse({"message": message, **(payload or {})}, status=status)
    if message:
        messages.success(request, message)
    return HttpResponseRedirect(safe_next(request, fallback))


def failed(request: HttpRequest, exc: ServiceError, fallback: str, **extra):
    if wants_json(request):
        return json_error(exc, **extra)
    messages.error(request, exc.message)
    return HttpResponseRedirect(safe_next(request, fallback))
