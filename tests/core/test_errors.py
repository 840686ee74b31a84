"""One mapping of service errors: each class carries its HTTP status and code (core/errors.py), and
the REST API's exception handler and the web UI's JSON answer read the same ones."""

import json

import pytest

from api.exceptions import service_error_response
from core.errors import ConflictError, InvalidInput, PermissionDenied, ServiceError, TooLarge, Unavailable
from web.views.common import json_error

CASES = [
    (ServiceError("No."), 400, "invalid", {}),
    (InvalidInput("Bad date.", field="published_at"), 400, "invalid", {}),
    (PermissionDenied(), 403, "permission_denied", {}),
    (ConflictError("Changed meanwhile.", field="version", current_version=4), 409, "conflict", {}),
    (TooLarge("Too many sentences.", field="sentences"), 413, "too_large", {}),
    (Unavailable("No worker.", retry_after=12), 503, "unavailable", {"Retry-After": "12"}),
]


@pytest.mark.parametrize("exc,status,code,headers", CASES, ids=lambda c: getattr(c, "__name__", None))
def test_api_and_web_answer_a_service_error_alike(exc, status, code, headers):
    api = service_error_response(exc)
    web = json_error(exc)
    body = json.loads(web.content)
    assert (api.status_code, api.data["code"], api.data["detail"]) == (status, code, exc.message)
    assert (web.status_code, body["error"], body["message"]) == (status, code, exc.message)
    assert api.data.get("field") == body["field"] == exc.field
    for name, value in headers.items():
        assert api.headers[name] == web.headers[name] == value
    if isinstance(exc, ConflictError):
        assert api.data["current_version"] == body["current_version"] == 4


def test_a_subclass_inherits_its_parents_status_unless_it_says_otherwise():
    class Stale(ConflictError):
        pass

    class Refused(InvalidInput):
        status_code, code = 422, "refused"

    assert (Stale().status_code, Stale().code) == (409, "conflict")
    assert service_error_response(Refused("x")).status_code == json_error(Refused("x")).status_code == 422
