"""Optimistic concurrency over HTTP. Versioned objects (claims, claim groups, verdicts) carry an
ETag; a write must send If-Match with it (stale → 412) or a `version` field (stale → 409, from the
service's conditional UPDATE). A write with neither gets 428."""

import re

from rest_framework.exceptions import ValidationError

from core.validation import ascii_int

from .exceptions import PreconditionFailed, PreconditionRequired


def etag(obj) -> str:
    return f'"{obj._meta.model_name}-{obj.pk}-v{obj.version}"'


def with_etag(response, obj):
    response["ETag"] = etag(obj)
    return response


_TAG = re.compile(r'\s*(?:W/)?("[^"]*")\s*')


def expected_version(request, obj, *, required: bool = True) -> int | None:
    """The version the client says it read (If-Match header first, then the body's `version`)."""
    header = request.headers.get("If-Match")
    if header:
        tags = [m.group(1) for part in header.split(",") if (m := _TAG.fullmatch(part))]
        if etag(obj) not in tags:
            raise PreconditionFailed(f"If-Match {header.strip()} does not match the current ETag {etag(obj)}.")
        return obj.version
    data = request.data if isinstance(request.data, dict) else {}
    version = data.get("version")
    if version is None:
        if required:
            raise PreconditionRequired()
        return None
    if (number := ascii_int(version)) is None:
        raise ValidationError({"version": ["A version is a positive integer."]})
    return number
