"""What every web view shares: how service errors reach people (JSON for fetch() calls, a message
and a redirect for plain forms) and where a form sends people back to."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import ServiceError


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def json_error(exc: ServiceError, **extra) -> JsonResponse:
    """The error's own status and code (core/errors.py), as the API answers them."""
    body = {"error": exc.code, "message": exc.message, "field": exc.field, **exc.extra(), **extra}
    return JsonResponse(body, status=exc.status_code, headers=exc.headers() or None)


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
