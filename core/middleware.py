"""Query strings are checked once, for every page and endpoint: a value (or name) holding a NUL
character is a 400 naming the parameter, not a database error deep in a filter (PostgreSQL
cannot take NUL in a string). Lone surrogates cannot arrive this way: Django decodes query strings
with replacement characters."""

from django.http import HttpResponseBadRequest, JsonResponse

from .validation import shown, text_problem


class QueryStringTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            for value in [name, *values]:
                if problem := text_problem(value):
                    message = f"Query parameter {shown(name, 100)!r} {problem}."
                    if request.path.startswith("/api/"):
                        return JsonResponse(
                            {"detail": message, "code": "invalid", "field": shown(name, 100)}, status=400
                        )
                    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
