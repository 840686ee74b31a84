"""JSON Lines input for the matching commands: a path or "-" (standard input), one object per line."""

import sys
from collections.abc import Iterator

from django.core.management.base import CommandError

from core.jsonl import JsonlError, jsonl_records


def jsonl_objects(source: str, *, expected: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; a malformed line stops with its number."""
    handle = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115 (closed in finally)
    try:
        for number, item in jsonl_records(handle):
            if isinstance(item, JsonlError):
                raise CommandError(f"line {number}: expected {expected} ({item.problem})")
            yield number, item
    finally:
        if handle is not sys.stdin:
            handle.close()
