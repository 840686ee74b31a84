"""Request parsing that fails cleanly: deeply nested JSON is a 400, not a RecursionError; a string
(or field name) holding NUL or a lone surrogate is a 400 naming it, before any serializer, service
or error message sees it (PostgreSQL cannot store either; no renderer can encode a surrogate)."""

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from core.validation import json_text_problem


class InvalidText(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
        # A view may leave parts of the body to its service, which reports bad records one by one
        # (the bulk import: one bad article must not cost the others).
        view = (parser_context or {}).get("view")
        skip = tuple(getattr(view, "json_text_checked_by_service", ()))
        if found := json_text_problem(data, skip=skip):
            path, problem = found
            raise InvalidText({"detail": f"{path}: {problem}.", "code": "invalid", "field": path})
        return data
