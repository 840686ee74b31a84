"""JSON Lines input for the matching commands: a path or "-" (standard input), one object per line."""

import json
import sys
from collections.abc import Iterator

from django.core.management.base import CommandError


def jsonl_objects(source: str, *, expected: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; a malformed line stops with its number."""
    handle = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115 (closed in finally)
    try:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise CommandError(f"line {number}: expected {expected} ({exc})") from exc
            if not isinstance(item, dict):
                raise CommandError(f"line {number}: expected {expected}")
            yield number, item
    finally:
        if handle is not sys.stdin:
            handle.close()
